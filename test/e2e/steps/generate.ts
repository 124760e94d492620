/**
 * Step 1: generate through the built package's bin, non-interactively, without --skip-install
 * (so the generator runs `uv lock`), and check the stored answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cliArgs, expectedAnswers } from '../combinations.js';
import { cliPath, type Context } from '../support/context.js';
import { mustRun, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';

export const generate: Step = {
  id: 'generate',
  title: 'generate with the package bin (uv lock included)',
  after: [],
  async run(ctx: Context) {
    const cli = cliPath();
    if (!existsSync(cli)) throw new StepFailure(`the package bin ${cli} does not exist: run \`npm run build\` first`);
    const args = cliArgs(ctx.combo, ['--skip-git']);
    const r = await mustRun(process.execPath, [cli, ...args], { cwd: ctx.work, env: ctx.baseEnv(), timeoutMs: 600_000 }, 'the generator');
    const fail = (msg: string) => new StepFailure(msg, r.command, r.output);
    if (!existsSync(ctx.project)) throw fail(`the generator exited 0 but wrote no ${ctx.project}`);
    for (const f of ['uv.lock', 'pyproject.toml', 'Procfile', 'release.sh', '.yo-rc.json', '.env.example']) {
      if (!ctx.exists(f)) throw fail(`the generated project has no ${f}`);
    }
    const rc = JSON.parse(readFileSync(path.join(ctx.project, '.yo-rc.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const stored = rc['generator-twelve-django'];
    if (!stored) throw fail(`.yo-rc.json has no "generator-twelve-django" key: ${JSON.stringify(rc)}`);
    const want = expectedAnswers(ctx.combo);
    const wrong = Object.entries(want).filter(([k, v]) => stored[k] !== v);
    if (wrong.length) {
      throw fail(`.yo-rc.json answers differ from the flags: ${wrong.map(([k, v]) => `${k}=${JSON.stringify(stored[k])} (want ${JSON.stringify(v)})`).join(', ')}`);
    }
  },
};
