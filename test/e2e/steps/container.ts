/**
 * Step 11 (the container subset, combinations.ts CONTAINER_COMBINATIONS): the generated Dockerfile,
 * unmodified, is built (cold, then warm) with buildah from stand-in base images, and the image runs
 * the way compose and platforms run it, against the host's real services (issue 8):
 *   - release.sh, as compose's `release` service runs it, twice against a fresh database;
 *   - the default command with the production environment on a published port: /healthz, /readyz,
 *     a static file with WhiteNoise's headers (when on), JSON lines on the container's stdout;
 *   - the image's HEALTHCHECK reports healthy; the numeric user; the code is not writable;
 *   - worker and beat with their compose commands: the example task through the real broker;
 *   - SIGTERM (podman stop with compose's stop_grace_period) with a slow request in flight: the
 *     request gets its answer, the container exits 0 within the window;
 *   - the image size is printed.
 * Containers get unique names and random ports, and are removed; the image and its layers too.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONTAINER_COMBINATIONS, type Combination } from '../combinations.js';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import {
  CONTAINER_NETWORK,
  ensureContainers,
  envArgs,
  forContainer,
  imageScript,
  mustPodman,
  podman,
  type ContainerTools,
} from '../support/containers.js';
import { StepFailure } from '../support/exec.js';
import { describeResponse, request, waitForHttp, type Response } from '../support/http.js';
import { createMariadb, createPostgres, freePort } from '../support/services.js';
import { logLines } from '../support/logs.js';
import type { Step } from '../support/step.js';
import { CALL_TASKS, taskCalls } from './celery.js';
import { SLOW_SECONDS, SLOW_SETTINGS, SLOW_URLS } from './shutdown.js';

const HTTPS = { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' };

/** Per-combination figures, printed by the suite at the end. */
export const CONTAINER_TIMINGS: Array<{ combo: string; figures: Record<string, string> }> = [];

interface ComposeService {
  command?: string[];
  stopGracePeriod?: number;
  volumes: Array<{ name: string; path: string }>;
}

/** The services of the generated compose file (its own, simple layout: flow-sequence commands). */
export function composeServices(text: string): Map<string, ComposeService> {
  const section = /^services:\n([\s\S]*?)(?=^\S|(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const out = new Map<string, ComposeService>();
  for (const part of section.split(/^(?= {2}[\w-]+:\n)/m)) {
    const name = /^ {2}([\w-]+):\n/.exec(part)?.[1];
    if (!name) continue;
    const command = /^ {4}command: (\[.*\])$/m.exec(part)?.[1];
    const grace = /^ {4}stop_grace_period: (\d+)s$/m.exec(part)?.[1];
    const volumes = [...(/^ {4}volumes:\n((?: {6}- .*\n)+)/m.exec(part)?.[1] ?? '').matchAll(/- ([\w-]+):(\/\S*)/g)].map((m) => ({ name: m[1]!, path: m[2]! }));
    out.set(name, { command: command ? (JSON.parse(command) as string[]) : undefined, stopGracePeriod: grace ? Number(grace) : undefined, volumes });
  }
  return out;
}


const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const container: Step = {
  id: 'container',
  title: 'the Dockerfile built unmodified; the image runs web, release, worker and beat like compose does',
  after: ['build-env', 'release', 'web', 'shutdown'],
  notApplicable: (c: Combination) =>
    CONTAINER_COMBINATIONS.some((x) => x.name === c.name)
      ? undefined
      : `images are built for ${CONTAINER_COMBINATIONS.map((x) => x.name).join(', ')} (they cover every server, database, broker and WhiteNoise on/off)`,
  async run(ctx: Context) {
    const figures: Record<string, string> = {};
    CONTAINER_TIMINGS.push({ combo: ctx.combo.name, figures });
    let t = Date.now();
    const tools = await ensureContainers();
    figures['tools ready'] = secs(Date.now() - t);
    const tag = `localhost/twelve-e2e-${ctx.combo.name}:${randomBytes(4).toString('hex')}`;
    const names: string[] = [];
    const volumes: string[] = [];
    ctx.cleanups.push(async () => {
      for (const n of names) await podman(tools, ['rm', '--force', '--time', '0', n]);
      for (const v of volumes) await podman(tools, ['volume', 'rm', '--force', v]);
      await imageScript(['remove', tag], `removing ${tag}`, 300_000);
    });

    // 1. Build, unmodified; then again, warm (layers and uv's cache reused).
    // the script says how long the build took once it had the toolbox (another combination may hold it)
    const took = (r: { stderr: string }) => /built \S+ in (\d+) s after waiting (\d+) s/.exec(r.stderr);
    const cold = took(await imageScript(['build', ctx.project, tag], 'building the generated Dockerfile (buildah, stand-in base images)'));
    figures['build cold'] = `${cold?.[1]} s (+${cold?.[2]} s waiting)`;
    const warm = took(await imageScript(['build', ctx.project, tag], 'rebuilding the unchanged project (warm)'));
    figures['build warm'] = `${warm?.[1]} s (+${warm?.[2]} s waiting)`;
    const inspect = await mustPodman(tools, ['image', 'inspect', '--format', '{{.Size}} {{.Config.User}}', tag], 'podman image inspect');
    const [size, user] = inspect.stdout.trim().split(' ');
    figures['image size'] = `${(Number(size) / 1e6).toFixed(0)} MB`;
    if (!/^\d+(:\d+)?$/.test(user ?? '')) throw new StepFailure(`the image's USER is "${user}", want a numeric uid (what runAsNonRoot can check)`);

    const compose = composeServices(ctx.read('docker-compose.yml'));
    const svc = (name: string) => {
      const s = compose.get(name);
      if (!s) throw new StepFailure(`docker-compose.yml has no ${name} service`);
      return s;
    };
    const unique = `${ctx.combo.name}-${randomBytes(3).toString('hex')}`;

    // A fresh database of the project's kind for everything the image does; app volumes as compose declares them.
    const resource = `${ctx.resourceName}_img`;
    let databaseUrl: string;
    if (ctx.combo.database === 'postgres' || ctx.combo.database === 'mysql') {
      const db = await (ctx.combo.database === 'postgres' ? createPostgres : createMariadb)(resource, ctx.work);
      ctx.cleanups.push(() => db.drop());
      databaseUrl = db.url;
    } else {
      const compose = ctx.read('docker-compose.yml');
      databaseUrl = /^ {2}DATABASE_URL: (\S+)$/m.exec(compose)?.[1]?.replace(/^"|"$/g, '') ?? '';
      if (!databaseUrl.startsWith('sqlite:')) throw new StepFailure(`docker-compose.yml gives no sqlite DATABASE_URL: ${databaseUrl}`);
    }
    const mounts: string[] = [];
    for (const v of svc('web').volumes) {
      const name = `twelve-e2e-${unique}-${v.name}`;
      await mustPodman(tools, ['volume', 'create', name], `podman volume create ${name}`);
      volumes.push(name);
      mounts.push('-v', `${name}:${v.path}`);
    }
    // The app's variables (.env.example lists them) with production values, reaching the host's services.
    const listed = new Set(ctx.read('.env.example').split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split('=')[0]!));
    const prod = ctx.prodEnv({ DATABASE_URL: databaseUrl });
    const appEnv = forContainer(Object.fromEntries(Object.entries(prod).filter(([k]) => listed.has(k) && k !== 'PORT' && k !== 'DJANGO_SETTINGS_MODULE')));
    const prefix = `twelve-e2e-${unique}`;
    const common = ['--network', CONTAINER_NETWORK, ...mounts, ...envArgs(appEnv)];
    const base = (name: string) => ['--name', name, ...common];
    const runOnce = async (what: string, command: readonly string[], timeoutMs = 300_000) => {
      const name = `${prefix}-${what.replace(/\W+/g, '-')}`;
      names.push(name);
      const r = await mustPodman(tools, ['run', '--rm', ...base(name), tag, ...command], `${what} in the image`, timeoutMs);
      return r;
    };

    // 2. release.sh as compose's release service runs it, twice.
    const release = svc('release').command ?? ['./release.sh'];
    t = Date.now();
    const first = await runOnce('release-1', release);
    if (!/Applying \S+\.\d{4}/.test(first.output)) throw new StepFailure('the first release in the image applied no migration (a fresh database)', first.command, first.output);
    const second = await runOnce('release-2', release);
    if (/Applying \S+\.\d{4}/.test(second.output)) throw new StepFailure('the second release in the image applied migrations again', second.command, second.output);
    figures['release x2'] = secs(Date.now() - t);

    // 3. The default command (no command given) on a published port.
    const web = `${prefix}-web`;
    names.push(web);
    const port = await freePort();
    t = Date.now();
    await mustPodman(tools, ['run', '--detach', ...base(web), '--publish', `127.0.0.1:${port}:8000`, tag], 'starting the image (default command)');
    const logs = async () => {
      const r = await podman(tools, ['logs', web]);
      return { stdout: r.stdout, stderr: r.stderr, all: r.output };
    };
    const fail = async (msg: string, r?: Response) => new StepFailure(`${msg}${r ? `\n${describeResponse(r)}` : ''}`, `podman logs ${web}`, (await logs()).all);
    try {
      await waitForHttp(port, '/healthz', { Host: '127.0.0.1' }, 90_000);
    } catch (e) {
      throw await fail(`the container did not answer on its published port: ${(e as Error).message}`);
    }
    figures['first answer'] = secs(Date.now() - t);
    const expect = async (what: string, p: string, headers: Record<string, string>, status: number, extra?: (r: Response) => string | undefined) => {
      const r = await request(port, p, headers);
      const problem = r.status !== status ? `status ${r.status}, want ${status}` : extra?.(r);
      if (problem) throw await fail(`${what}: GET ${p}: ${problem}`, r);
      return r;
    };
    await expect('liveness as a probe sends it', '/healthz', { Host: '10.0.0.1' }, 200);
    await expect('readiness against the real database and cache', '/readyz', HTTPS, 200);
    if (ctx.combo.whitenoise) {
      const where = await mustPodman(
        tools,
        ['exec', web, 'python', '-c', 'import django, json, pathlib; django.setup(); from django.conf import settings as s; print(json.dumps({"url": s.STATIC_URL, "manifest": json.loads((pathlib.Path(s.STATIC_ROOT) / "staticfiles.json").read_text())["paths"]["admin/css/base.css"]}))'],
        'reading the static manifest in the image',
      );
      const st = JSON.parse(where.stdout.trim().split('\n').pop()!) as { url: string; manifest: string };
      const url = `${st.url.replace(/^\/?/, '/').replace(/\/?$/, '/')}${st.manifest}`;
      await expect('a static file collected at build time, far-future caching', url, HTTPS, 200, (r) =>
        Number(/max-age=(\d+)/.exec(String(r.headers['cache-control']))?.[1] ?? 0) >= 365 * 24 * 3600 ? undefined : `Cache-Control ${r.headers['cache-control']}`,
      );
      await expect('its compressed variant', url, { ...HTTPS, 'Accept-Encoding': 'gzip' }, 200, (r) =>
        r.headers['content-encoding'] === 'gzip' ? undefined : `Content-Encoding ${r.headers['content-encoding']}, want gzip`,
      );
    } else ctx.note('container: WhiteNoise off: no static file served by the app');

    // 4. The image's own HEALTHCHECK (no systemd here to run its timer: run it on demand).
    let healthy = false;
    let lastHealth = '';
    for (let i = 0; i < 30 && !healthy; i++) {
      const h = await podman(tools, ['healthcheck', 'run', web]);
      healthy = h.code === 0;
      lastHealth = h.output;
      if (!healthy) await new Promise((r) => setTimeout(r, 1000));
    }
    if (!healthy) throw await fail(`the image's HEALTHCHECK never reported healthy: ${lastHealth.trim()}`);

    // 5. The numeric user, and code it cannot change.
    const ids = await mustPodman(tools, ['exec', web, 'sh', '-c', 'id -u; grep ^Uid: /proc/1/status'], 'id in the container');
    const [uid, status] = ids.stdout.trim().split('\n');
    if (uid === '0' || !/^\d+$/.test(uid ?? '')) throw await fail(`the container runs as uid ${uid}, want the image's unprivileged numeric user`);
    if (!new RegExp(`^Uid:\\s+${uid}\\s`).test(status ?? '')) throw await fail(`the server (pid 1) runs as ${status}, not uid ${uid}`);
    const write = await podman(tools, ['exec', web, 'python', '-c', 'import pathlib; pathlib.Path("/app/manage.py").open("a"); print("WROTE")']);
    const create = await podman(tools, ['exec', web, 'sh', '-c', 'touch /app/e2e-new-file && echo CREATED']);
    if (write.stdout.includes('WROTE') || create.stdout.includes('CREATED')) throw await fail('the app user can write its own code in /app');

    // 6. Its stdout: JSON lines only (stderr is where Python would complain).
    const out = await logs();
    const { lines, bad } = logLines(out.stdout);
    if (!lines.length) throw await fail("nothing on the container's stdout: production logs go to stdout as JSON lines");
    if (bad.length) throw await fail(`${bad.length} of ${lines.length} stdout lines of the container are not JSON objects, e.g.:\n${bad.slice(0, 5).join('\n')}`);
    await mustPodman(tools, ['rm', '--force', '--time', '0', web], 'removing the web container');

    // 7. Worker and beat from the same image with their compose commands; the task through the real broker.
    if (ctx.combo.celery) await celeryInImage(ctx, tools, tag, svc('worker'), compose.get('beat'), prefix, common, names, runOnce, figures);

    // 8. SIGTERM with a slow request in flight, within compose's stop window.
    await drainInImage(ctx, tools, tag, svc('web').stopGracePeriod, prefix, common, names, figures);
    figures['run checks'] = secs(Date.now() - t);
    ctx.note(`container: ${Object.entries(figures).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  },
};

async function waitLogs(tools: ContainerTools, name: string, pattern: RegExp, ms: number, what: string): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const r = await podman(tools, ['logs', name]);
    if (pattern.test(r.output)) return r.output;
    const state = await podman(tools, ['inspect', '--format', '{{.State.Status}}', name]);
    if (state.stdout.trim() === 'exited' || Date.now() > until) {
      throw new StepFailure(`${what}: ${pattern} not in the container's output ${state.stdout.trim() === 'exited' ? '(it exited)' : `within ${ms} ms`}`, `podman logs ${name}`, r.output);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** podman stop with the window compose declares; the exit code and how long it took. */
async function stopWithin(tools: ContainerTools, name: string, grace: number, what: string): Promise<number> {
  const t = Date.now();
  await mustPodman(tools, ['stop', '--time', String(grace), name], `podman stop --time ${grace} ${what}`, (grace + 30) * 1000);
  const took = Date.now() - t;
  const code = (await mustPodman(tools, ['inspect', '--format', '{{.State.ExitCode}}', name], 'podman inspect')).stdout.trim();
  const logs = await podman(tools, ['logs', name]);
  if (code !== '0') throw new StepFailure(`${what} exited ${code} after SIGTERM, want 0`, `podman logs ${name}`, logs.output);
  if (took >= grace * 1000) throw new StepFailure(`${what} took ${secs(took)} to stop: it was killed at the end of its ${grace} s window`, `podman logs ${name}`, logs.output);
  return took;
}

async function celeryInImage(
  ctx: Context,
  tools: ContainerTools,
  tag: string,
  worker: ComposeService,
  beat: ComposeService | undefined,
  prefix: string,
  common: string[],
  names: string[],
  runOnce: (what: string, command: readonly string[], timeoutMs?: number) => Promise<{ stdout: string; output: string; command: string }>,
  figures: Record<string, string>,
): Promise<void> {
  if (!worker.command || worker.stopGracePeriod === undefined) throw new StepFailure('the compose worker service has no command or stop_grace_period');
  const w = `${prefix}-worker`;
  names.push(w);
  const t = Date.now();
  await mustPodman(tools, ['run', '--detach', '--name', w, ...common, tag, ...worker.command], 'starting the worker from the image');
  await waitLogs(tools, w, /celery@\S+ ready\./, 90_000, 'worker start');
  const one = await runOnce('call-task', ['python', 'manage.py', 'shell', '-c', CALL_TASKS(ctx.slug())], 180_000);
  const calls = taskCalls(one);
  for (const c of calls) {
    await waitLogs(tools, w, new RegExp(`${c.id}.{0,40}succeeded`), 15_000, `the worker container ran task ${c.id}`);
    ctx.note(`container: ${c.name} -> ${c.result} through the worker container`);
  }
  await stopWithin(tools, w, worker.stopGracePeriod, 'the worker container');
  figures['worker + task'] = secs(Date.now() - t);
  if (beat?.command && beat.stopGracePeriod !== undefined) {
    const b = `${prefix}-beat`;
    names.push(b);
    await mustPodman(tools, ['run', '--detach', '--name', b, ...common, tag, ...beat.command], 'starting beat from the image');
    await waitLogs(tools, b, /beat: Starting/, 60_000, 'beat start');
    await new Promise((r) => setTimeout(r, 2000));
    await stopWithin(tools, b, beat.stopGracePeriod, 'the beat container');
  }
}

async function drainInImage(
  ctx: Context,
  tools: ContainerTools,
  tag: string,
  grace: number | undefined,
  prefix: string,
  common: string[],
  names: string[],
  figures: Record<string, string>,
): Promise<void> {
  if (grace === undefined) throw new StepFailure('the compose web service declares no stop_grace_period');
  // The test-only slow view is mounted in (the image stays as built); the marker tells us it is in flight.
  const dir = mkdtempSync(path.join(ctx.work, 'image-slow-'));
  chmodSync(dir, 0o777);
  writeFileSync(path.join(dir, 'e2e_slow.py'), SLOW_URLS);
  writeFileSync(path.join(dir, 'e2e_settings.py'), SLOW_SETTINGS);
  const name = `${prefix}-drain`;
  names.push(name);
  const port = await freePort();
  await mustPodman(
    tools,
    ['run', '--detach', '--name', name, ...common, '--publish', `127.0.0.1:${port}:8000`,
      '-v', `${dir}/e2e_slow.py:/app/e2e_slow.py:ro`, '-v', `${dir}/e2e_settings.py:/app/e2e_settings.py:ro`, '-v', `${dir}:/e2e`,
      '-e', 'DJANGO_SETTINGS_MODULE=e2e_settings', '-e', 'E2E_SLOW_MARKER=/e2e/started', tag],
    'starting the image with the slow test view',
  );
  await waitForHttp(port, '/healthz', { Host: '127.0.0.1' }, 90_000);
  const inFlight = request(port, '/e2e-slow/', HTTPS, (SLOW_SECONDS + grace + 10) * 1000).then((r) => r, (e: Error) => e);
  for (let waited = 0; !existsSync(path.join(dir, 'started')); waited += 50) {
    if (waited > 15_000) throw new StepFailure('the slow request did not reach its view in the container within 15 s', `podman logs ${name}`, (await podman(tools, ['logs', name])).output);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  const stopping = stopWithin(tools, name, grace, 'the web container');
  const r = await inFlight;
  const took = await stopping;
  if (r instanceof Error || r.status !== 200 || r.text !== 'slow done') {
    throw new StepFailure(
      `the in-flight request ${r instanceof Error ? `failed: ${r.message}` : `got ${r.status} "${r.text.slice(0, 200)}"`} after SIGTERM, want 200 "slow done"`,
      `podman logs ${name}`,
      (await podman(tools, ['logs', name])).output,
    );
  }
  figures['drain stop'] = `${secs(took)} of ${grace} s`;
  rmSync(dir, { recursive: true, force: true });
}
