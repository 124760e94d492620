/**
 * Step 3: production settings refuse to serve before the build step ran: the Procfile's web with the production
 * environment exits 1 with one stderr line that says to run the build command (issue 15 item 6; before, every page
 * that links a static file answered 500, "Missing staticfiles manifest entry"). Then the image's build-time commands
 * succeed with exactly the environment the Dockerfile gives them (issue 7, item 1). The generated Dockerfile is read; every RUN of its build stage that is not
 * a package install (apt-get, `uv sync`: the sync step did that natively) runs here, natively, in the
 * project (WORKDIR /app), with ONLY the stage's ENV values and the base image's PATH, `/app` standing
 * for the project. So a production setting that needs a variable the Dockerfile does not give fails
 * here, as it would in `docker build`, without a container engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../support/context.js';
import { buildCommands } from '../support/dockerfile.js';
import { mustRun, run, StepFailure } from '../support/exec.js';
import { procfileCommand } from '../support/processes.js';
import { freePort } from '../support/services.js';
import type { Step } from '../support/step.js';

/** What the python base image defines; the project's venv and Python stand in for /app/.venv. */
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Installing packages is not a build-time step of the project: the sync step did it natively. */
const INSTALLS = /^(apt-get|uv\s+sync)\b/;

export const buildEnv: Step = {
  id: 'build-env',
  title: "the Dockerfile's build-time commands with only the Dockerfile's environment",
  after: ['live-in'],
  async run(ctx: Context) {
    await unbuiltRefused(ctx);
    const dockerfile = ctx.read('Dockerfile');
    const commands = buildCommands(dockerfile, { PATH: BASE_PATH });
    const toRun = commands.filter((c) => !INSTALLS.test(c.command.trim()));
    const home = mkdtempSync(path.join(ctx.work, 'build-home-'));
    try {
      for (const c of toRun) {
        const local = (v: string) => v.replaceAll('/app/', `${ctx.project}/`).replace(/^\/app$/, ctx.project);
        const env: Record<string, string> = { HOME: home };
        for (const [k, v] of Object.entries(c.env)) env[k] = local(v);
        const cwd = local(c.workdir);
        if (cwd !== ctx.project) throw new StepFailure(`the build stage runs "${c.command}" in ${c.workdir}, not in the code's WORKDIR /app`);
        const r = await mustRun('/bin/sh', ['-c', c.command], { cwd, env, timeoutMs: 300_000 }, `Dockerfile line ${c.line} (build stage)`).catch((e: unknown) => {
          if (e instanceof StepFailure) {
            throw new StepFailure(
              `${e.message} with only the Dockerfile's environment (${Object.keys(env).sort().join(', ')})`,
              `env -i ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} /bin/sh -c ${JSON.stringify(c.command)}`,
              e.output,
            );
          }
          throw e;
        });
        ctx.note(`build-env: line ${c.line} ok in ${(r.ms / 1000).toFixed(1)} s: ${c.command.replace(/\s+/g, ' ').slice(0, 160)}`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    if (!toRun.length) ctx.note(`build-env: no build-time step besides installs (${commands.length} RUN in the build stage)`);
  },
};

/** The build's output (hashed static files and their manifest) is what WhiteNoise serves: without it, one line. */
async function unbuiltRefused(ctx: Context): Promise<void> {
  if (!ctx.combo.whitenoise) return ctx.note('build-env: no static files manifest without WhiteNoise: production serves without a build output');
  if (ctx.exists('staticfiles')) throw new StepFailure('staticfiles/ exists before the build step ran: something collected static files earlier');
  const port = await freePort();
  const r = await run('/bin/sh', ['-c', `exec ${procfileCommand(ctx, 'web')}`], { cwd: ctx.project, env: ctx.prodEnv({ PORT: String(port) }), timeoutMs: 30_000 });
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (r.code !== 1 || lines.length !== 1 || !lines[0]!.includes('./build.sh')) {
    throw new StepFailure(`web with production settings and no build output: want exit 1 and one stderr line saying to run ./build.sh, got exit ${r.code} and ${lines.length} line(s)`, r.command, r.output);
  }
  ctx.note(`build-env: web before the build exits 1: ${lines[0]}`);
}
