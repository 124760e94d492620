/**
 * Procfile platforms: the combination's deploy file (app.json, render.yaml or fly.toml) run as the platform runs it,
 * every command and value read from the file as generated, against the real services:
 * - the build: Heroku runs the buildpack's bin/post_compile hook with the config vars exported (the build must not
 *   depend on them); Render and Fly build the Dockerfile, whose build step the build-env step ran with the
 *   Dockerfile's environment (and the container step builds for real);
 * - the release (Heroku's `release:` process type, Render's preDeployCommand, Fly's release_command) twice: the
 *   second applies nothing;
 * - each process's start command (the Procfile line, the service's dockerCommand, the process group's command)
 *   with the platform's environment: the file's values, a generated secret where it generates one, the managed
 *   services' URLs in the platform's form (Heroku `postgres://u:p@host:5432/db`, Render's internal
 *   `postgresql://u:p@host/db` with no port, Fly `postgres://...?sslmode=disable`), the user's values from the
 *   provisioned services, the PORT it injects (Heroku, Render) or the one `[env]` gives (Fly);
 * - the web's health check where the platform declares one (Render's healthCheckPath, Fly's http_service checks,
 *   on the port it routes to; Heroku only needs $PORT bound within 60 s), answered 200;
 * - SIGTERM with a request in flight on web, and to each other process: each exits 0 before the platform's SIGKILL
 *   (Heroku 30 s; Render maxShutdownDelaySeconds; Fly kill_timeout), with the short-stop switches the file sets.
 * One stand-in: locally every process shares one network, so a free port replaces the fixed ones (Render's 10000,
 * Fly's internal_port) and the URLs point at 127.0.0.1.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { parseToml } from '../../platforms/schema.js';
import type { Context } from '../support/context.js';
import { Background, run, StepFailure, type Env } from '../support/exec.js';
import { describeResponse, request } from '../support/http.js';
import { freePort } from '../support/services.js';
import type { Step } from '../support/step.js';
import { withSlowView } from './shutdown.js';

interface Process {
  name: string;
  command: string;
  env: Record<string, string>;
  /** Seconds from SIGTERM to SIGKILL. */
  kill: number;
  web: boolean;
  /** The health check the platform runs on web, if it declares one. */
  check?: { path: string };
}

interface Run {
  platform: string;
  /** The build hook, when the platform runs one in the project (Heroku). */
  hook?: { command: string; env: Record<string, string> };
  release: { command: string; env: Record<string, string> };
  processes: Process[];
  /** The Host the platform's router sends. */
  host: string;
}

const secret = () => randomBytes(48).toString('base64url');

/** The provisioned database in the platform's URL form. */
function databaseUrl(ctx: Context, form: 'heroku' | 'render' | 'fly'): string {
  const url = new URL(ctx.provisioned.databaseUrl!);
  if (url.protocol !== 'postgres:') return url.toString();
  const db = url.pathname;
  const user = `${url.username}:${form}-password`;
  if (form === 'render') return `postgresql://${user}@${url.hostname}${db}`;
  if (form === 'fly') return `postgres://${user}@${url.hostname}:${url.port || 5432}${db}?sslmode=disable`;
  return `postgres://${user}@${url.hostname}:${url.port || 5432}${db}`;
}

/** What the test gives a variable the user sets: the provisioned services' values, nothing for the rest. */
function userValue(ctx: Context, name: string): string | undefined {
  const provisioned: Record<string, string | undefined> = { DATABASE_URL: ctx.provisioned.databaseUrl, ...ctx.provisioned.cacheEnv, ...ctx.provisioned.brokerEnv };
  return provisioned[name];
}

/** The machine's PATH with the project's venv first: what the slug or the image puts on PATH. */
const base = (ctx: Context): Record<string, string> => {
  const env = ctx.venvEnv();
  return { PATH: env.PATH!, HOME: env.HOME ?? ctx.work, LANG: 'C.UTF-8', PYTHONUNBUFFERED: '1' };
};

async function heroku(ctx: Context): Promise<Run> {
  const app = JSON.parse(ctx.read('app.json'));
  const config: Record<string, string> = {};
  for (const [name, e] of Object.entries(app.env as Record<string, { value?: string; generator?: string; required?: boolean }>)) {
    if (e.value !== undefined) config[name] = e.value;
    else if (e.generator === 'secret') config[name] = secret();
    else {
      const v = userValue(ctx, name);
      if (v !== undefined) config[name] = v;
      else if (e.required) throw new StepFailure(`app.json requires ${name}, which the test has no value for`);
    }
  }
  for (const a of app.addons as { plan: string; as: string }[]) {
    const name = `${a.as}_URL`;
    const v = name === 'DATABASE_URL' ? databaseUrl(ctx, 'heroku') : userValue(ctx, name);
    if (!v) throw new StepFailure(`the add-on ${a.plan} sets ${name}, which the test provisions no service for`);
    config[name] = v;
  }
  const procfile = ctx.procfile();
  const port = await freePort();
  // What Heroku sets per dyno: PORT, DYNO; the buildpack's WEB_CONCURRENCY for a basic dyno (512 MB).
  const dyno = (type: string) => ({ ...base(ctx), ...config, PORT: String(port), DYNO: `${type}.1`, WEB_CONCURRENCY: '2' });
  const processes = Object.keys(app.formation as object).map((name): Process => ({ name, command: procfile[name]!, env: dyno(name), kill: 30, web: name === 'web' }));
  return {
    platform: 'heroku',
    hook: { command: 'bin/post_compile', env: { ...base(ctx), ...config } },
    release: { command: procfile.release!, env: dyno('release') },
    processes,
    host: `${ctx.combo.name}-0123456789ab.herokuapp.com`,
  };
}

async function render(ctx: Context): Promise<Run> {
  const doc = parseYaml(ctx.read('render.yaml'));
  const groups = new Map<string, Record<string, unknown>[]>(doc.envVarGroups.map((g: { name: string; envVars: Record<string, unknown>[] }) => [g.name, g.envVars]));
  const generated = new Map<string, string>();
  const envOf = (entries: Record<string, unknown>[], port: number): Record<string, string> => {
    const env: Record<string, string> = { ...base(ctx), PORT: String(port), RENDER: 'true' };
    for (const e of entries.flatMap((x) => (x.fromGroup ? groups.get(x.fromGroup as string)! : [x]))) {
      const key = e.key as string;
      if (typeof e.value === 'string') env[key] = e.value;
      else if (e.generateValue) env[key] = generated.get(key) ?? (generated.set(key, secret()), generated.get(key)!);
      else if (e.fromDatabase) env[key] = databaseUrl(ctx, 'render');
      else if (e.fromService) {
        const v = userValue(ctx, key);
        if (!v) throw new StepFailure(`${key} comes from ${JSON.stringify(e.fromService)}, which the test provisions no service for`);
        env[key] = v;
      } else if (e.sync === false) {
        const v = userValue(ctx, key);
        if (v !== undefined) env[key] = v;
      }
    }
    return env;
  };
  const services = doc.services.filter((s: { type: string }) => s.type === 'web' || s.type === 'worker');
  const port = await freePort();
  const web = services.find((s: { type: string }) => s.type === 'web');
  return {
    platform: 'render',
    release: { command: web.preDeployCommand, env: envOf(web.envVars, port) },
    processes: services.map((s: { name: string; type: string; dockerCommand: string; envVars: Record<string, unknown>[]; maxShutdownDelaySeconds?: number; healthCheckPath?: string }) => ({
      name: s.name,
      command: s.dockerCommand,
      env: envOf(s.envVars, port),
      kill: s.maxShutdownDelaySeconds ?? 30,
      web: s.type === 'web',
      check: s.healthCheckPath ? { path: s.healthCheckPath } : undefined,
    })),
    host: `${web.name}.onrender.com`,
  };
}

async function fly(ctx: Context): Promise<Run> {
  const doc = parseToml(ctx.read('fly.toml')) as Record<string, any>;
  const readme = ctx.read('README.md');
  // The secrets the README sets: the test's values for them (a new key where the README asks for one).
  const secrets: Record<string, string> = {};
  const line = /fly secrets set .*?--stage (.*)$/m.exec(readme)?.[1] ?? '';
  for (const word of line.split(/\s+/).filter((w) => w.includes('='))) {
    const name = word.split('=')[0]!;
    const v = word.includes('PASTE-THE-NEW-KEY') ? secret() : userValue(ctx, name);
    if (v === undefined) throw new StepFailure(`the README sets the secret ${name}, which the test has no value for`);
    secrets[name] = v;
  }
  for (const name of ['DATABASE_URL'].filter((n) => /fly postgres attach/.test(readme) && !secrets[n])) secrets[name] = databaseUrl(ctx, 'fly');
  for (const [name, v] of Object.entries({ ...ctx.provisioned.cacheEnv, ...ctx.provisioned.brokerEnv })) if (!(name in secrets) && !(name in doc.env)) secrets[name] = v!;
  const port = await freePort();
  const env = { ...base(ctx), ...doc.env, ...secrets, PORT: String(port), FLY_APP_NAME: doc.app, FLY_REGION: doc.primary_region };
  const web = doc.http_service.processes[0];
  if (String(doc.http_service.internal_port) !== doc.env.PORT) throw new StepFailure(`fly.toml routes to port ${doc.http_service.internal_port}, [env] sets PORT=${doc.env.PORT}`);
  return {
    platform: 'fly',
    release: { command: doc.deploy.release_command, env },
    processes: Object.entries(doc.processes as Record<string, string>).map(([name, command]) => ({
      name,
      command,
      env,
      kill: doc.kill_timeout,
      web: name === web,
      check: name === web ? { path: doc.http_service.checks[0].path } : undefined,
    })),
    host: `${doc.app}.fly.dev`,
  };
}

export const platform: Step = {
  id: 'platform',
  title: "the Procfile platform's deploy file run as the platform runs it: build hook, release twice, every process, health check, SIGTERM within the kill window",
  after: ['release'],
  notApplicable: (c) => (c.platform === 'none' ? 'no Procfile platform target' : undefined),
  async run(ctx: Context) {
    const r = ctx.combo.platform === 'heroku' ? await heroku(ctx) : ctx.combo.platform === 'render' ? await render(ctx) : await fly(ctx);
    if (r.hook) {
      // A fresh build: the hook alone makes what production serves.
      rmSync(ctx.file('staticfiles'), { recursive: true, force: true });
      const b = await run('/bin/sh', ['-c', r.hook.command], { cwd: ctx.project, env: r.hook.env, timeoutMs: 300_000 });
      if (b.code !== 0) throw new StepFailure(`${r.platform}: the build hook ${r.hook.command} exited ${b.code}`, b.command, b.output);
      if (ctx.combo.whitenoise && !existsSync(ctx.file('staticfiles/staticfiles.json'))) throw new StepFailure(`${r.platform}: the build hook made no static files manifest`, b.command, b.output);
      ctx.note(`platform: ${r.platform} build hook ${r.hook.command} ok in ${(b.ms / 1000).toFixed(1)} s`);
    }
    for (const round of [1, 2]) {
      const rel = await run('/bin/sh', ['-c', `exec ${r.release.command}`], { cwd: ctx.project, env: r.release.env, timeoutMs: 300_000 });
      if (rel.code !== 0) throw new StepFailure(`${r.platform}: the release (${r.release.command}, run ${round}) exited ${rel.code}`, rel.command, rel.output);
      if (round === 2 && /Applying \S+\.\d{4}/.test(rel.output)) throw new StepFailure(`${r.platform}: the second release applied migrations again`, rel.command, rel.output);
    }
    ctx.note(`platform: ${r.platform} release ran twice (the second applied nothing)`);
    for (const p of r.processes) {
      if (p.web) await runWeb(ctx, r, p);
      else await runBackground(ctx, r, p);
    }
  },
};

function start(ctx: Context, p: Process, extra: Env = {}): Background {
  const proc = new Background('/bin/sh', ['-c', `exec ${p.command}`], { cwd: ctx.project, env: { ...p.env, ...extra } });
  ctx.cleanups.push(() => proc.stop());
  return proc;
}

async function runWeb(ctx: Context, r: Run, p: Process): Promise<void> {
  const port = Number(p.env.PORT);
  const marker = path.join(ctx.work, `e2e-${r.platform}-slow-started`);
  rmSync(marker, { force: true });
  await withSlowView(ctx, async () => {
    const proc = start(ctx, p, { DJANGO_SETTINGS_MODULE: 'e2e_settings', E2E_SLOW_MARKER: marker, E2E_SLOW_SECONDS: '3' });
    const fail = (msg: string) => new StepFailure(`${r.platform} ${p.name}: ${msg}`, proc.command, proc.output);
    // Heroku's boot timeout is 60 s; the others probe the health check path until it passes.
    const path = p.check?.path ?? '/healthz';
    const t0 = Date.now();
    let answered: Awaited<ReturnType<typeof request>> | undefined;
    while (!answered && Date.now() - t0 < 60_000) {
      if (proc.exited) throw fail('exited before it answered');
      answered = await request(port, path, { Host: `10.0.0.7:${port}`, 'User-Agent': `${r.platform}-health-check` }, 3000).catch(() => undefined);
      if (!answered) await new Promise((res) => setTimeout(res, 500));
    }
    if (!answered) throw fail(`${path} did not answer on $PORT=${port} within 60 s`);
    if (answered.status !== 200) throw fail(`${path} answered ${answered.status}, want 200\n${describeResponse(answered)}`);
    // Through the router: the platform's host name, HTTPS at the edge.
    const page = await request(port, '/healthz', { Host: r.host, 'X-Forwarded-Proto': 'https' });
    if (page.status !== 200) throw fail(`/healthz with Host ${r.host} answered ${page.status}\n${describeResponse(page)}`);
    ctx.note(`platform: ${r.platform} ${p.name} answered ${path} ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
    const inFlight = request(port, '/e2e-slow/', { Host: r.host, 'X-Forwarded-Proto': 'https' }, (p.kill + 10) * 1000).then(
      (x) => x,
      (e: Error) => e,
    );
    for (let waited = 0; !existsSync(marker); waited += 50) {
      if (waited > 15_000) throw fail('the slow request did not reach its view within 15 s');
      await new Promise((res) => setTimeout(res, 50));
    }
    const sigterm = Date.now();
    proc.signal('SIGTERM');
    const answer = await inFlight;
    if (answer instanceof Error || answer.status !== 200) throw fail(`the request in flight at SIGTERM got ${answer instanceof Error ? answer.message : answer.status}`);
    const exit = await proc.waitExit(p.kill * 1000 - (Date.now() - sigterm));
    if (!exit) throw fail(`still running ${p.kill} s after SIGTERM: the platform would SIGKILL it`);
    if (exit.code !== 0) throw fail(`exited ${exit.code ?? exit.signal} after SIGTERM, want 0`);
    ctx.note(`platform: ${r.platform} ${p.name} finished the request in flight and exited 0 ${((Date.now() - sigterm) / 1000).toFixed(1)} s after SIGTERM (SIGKILL at ${p.kill} s)`);
  });
}

async function runBackground(ctx: Context, r: Run, p: Process): Promise<void> {
  const proc = start(ctx, p);
  await proc.waitFor(/celery@\S+ ready\.|beat: Starting/, 90_000, `${r.platform} ${p.name} start`);
  await new Promise((res) => setTimeout(res, 3000));
  if (proc.exited) throw new StepFailure(`${r.platform} ${p.name} exited right after starting`, proc.command, proc.output);
  const sigterm = Date.now();
  proc.signal('SIGTERM');
  const exit = await proc.waitExit(p.kill * 1000);
  if (!exit) throw new StepFailure(`${r.platform} ${p.name} still running ${p.kill} s after SIGTERM: the platform would SIGKILL it`, proc.command, proc.output);
  if (exit.code !== 0) throw new StepFailure(`${r.platform} ${p.name} exited ${exit.code ?? exit.signal} after SIGTERM, want 0`, proc.command, proc.output);
  ctx.note(`platform: ${r.platform} ${p.name} exited 0 ${((Date.now() - sigterm) / 1000).toFixed(1)} s after SIGTERM (SIGKILL at ${p.kill} s${p.env.REMAP_SIGTERM ? `, REMAP_SIGTERM=${p.env.REMAP_SIGTERM}` : ''})`);
}

