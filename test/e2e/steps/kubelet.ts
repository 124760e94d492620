/**
 * Kubernetes projects: the production overlay as `kubectl kustomize` renders it, run the way a kubelet would,
 * against the real services. The overlay's git-ignored secrets.env gets the provisioned secret values and its
 * config.env the provisioned non-secret ones (what a user writes there); then each container's command and
 * environment come from the rendered objects only (ConfigMap and Secret resolved, the downward API applied).
 * One stand-in: a pod has its own network namespace, so locally a free port replaces the containerPort.
 * - the release Job's command runs twice; the second applies nothing;
 * - web: the startup, readiness and liveness probes exactly as declared (path, port, plain HTTP, Host = an IP,
 *   no proxy headers, within timeoutSeconds); then a slow request in flight, the preStop pause (serving goes
 *   on), SIGTERM, and the answer and exit 0 within the rest of terminationGracePeriodSeconds;
 * - worker and beat: start, then SIGTERM, exit 0 within their grace period.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { containers, kustomize, writeSecrets, type Container } from '../../kubernetes/kubelet.js';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { Background, mustRun, StepFailure, type Env } from '../support/exec.js';
import { describeResponse, request } from '../support/http.js';
import { freePort } from '../support/services.js';
import type { Step } from '../support/step.js';
import { withSlowView } from './shutdown.js';

const OVERLAY = 'deploy/kubernetes/overlays/production';
/** What a kubelet sends as Host: the pod IP and port. */
const POD_IP = '10.244.1.17';

/** `.env.example`: name -> secret? */
function envContract(ctx: Context): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let secret = false;
  for (const line of ctx.read('.env.example').split('\n')) {
    if (line.startsWith('# Factor ')) secret = /; secret\.$/.test(line);
    const m = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) out.set(m[1]!, secret);
  }
  return out;
}

/** The image's environment besides what the manifests set: PATH with the venv (the Dockerfile's ENV). */
function imageEnv(ctx: Context, env: Record<string, string>, extra: Env = {}): Env {
  const base = ctx.baseEnv();
  return { PATH: `${ctx.venvBin}:${base.PATH ?? ''}`, HOME: base.HOME, LANG: base.LANG, PYTHONUNBUFFERED: '1', ...env, ...extra };
}

function start(ctx: Context, c: Container, extra: Env = {}): Background {
  // The kubelet execs command+args directly: no shell.
  const proc = new Background(c.command[0]!, c.command.slice(1), { cwd: ctx.project, env: imageEnv(ctx, c.env, extra) });
  ctx.cleanups.push(() => proc.stop());
  return proc;
}

export const kubelet: Step = {
  id: 'kubelet',
  title: 'Kubernetes: the rendered containers run as a kubelet would run them',
  after: ['release'],
  notApplicable: (c) => (c.kubernetes ? undefined : 'no Kubernetes manifests in this combination'),
  async run(ctx: Context) {
    const contract = envContract(ctx);
    const provisioned: Record<string, string> = {
      DJANGO_SECRET_KEY: ctx.secret,
      DATABASE_URL: ctx.provisioned.databaseUrl!,
      // Mail goes nowhere in the test; a previous key proves a rotation's fallback is accepted.
      EMAIL_URL: 'dummymail://',
      DJANGO_SECRET_KEY_FALLBACKS: `previous-${ctx.secret}`,
      ...ctx.provisioned.cacheEnv,
      ...ctx.provisioned.brokerEnv,
    };
    const secretKeys = [...contract].filter(([, s]) => s).map(([n]) => n);
    const missing = secretKeys.filter((k) => provisioned[k] === undefined);
    if (missing.length) throw new StepFailure(`secret variables of .env.example the suite has no test value for: ${missing.join(', ')}`);
    const overlay = ctx.file(OVERLAY);
    writeSecrets(overlay, Object.fromEntries(secretKeys.map((k) => [k, provisioned[k]!])), existsSync(path.join(overlay, '..', '..', 'components', 'keda-worker')) && ctx.combo.broker === 'redis');
    const config = { DJANGO_ALLOWED_HOSTS: ALLOWED_HOST, DJANGO_CSRF_TRUSTED_ORIGINS: `https://${ALLOWED_HOST}`, ...Object.fromEntries(Object.entries(provisioned).filter(([k]) => contract.get(k) === false)) };
    const configFile = path.join(overlay, 'config.env');
    const configBefore = readFileSync(configFile, 'utf8');
    // As a user edits it: a value set there is replaced, others are added.
    const kept = configBefore.split('\n').filter((l) => l !== '' && !(l.slice(0, l.indexOf('=')) in config));
    writeFileSync(configFile, [...kept, ...Object.entries(config).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
    let all: Container[];
    try {
      all = containers(kustomize(overlay).objects);
    } finally {
      // The project stays as generated for the steps after this one.
      writeFileSync(configFile, configBefore);
      rmSync(path.join(overlay, 'secrets.env'), { force: true });
      rmSync(path.join(overlay, 'keda.env'), { force: true });
    }

    // The release Job, twice.
    const job = all.find((c) => c.kind === 'Job');
    if (!job) throw new StepFailure('no Job rendered for the release process');
    const o = { cwd: ctx.project, env: imageEnv(ctx, job.env), timeoutMs: 300_000 };
    await mustRun(job.command[0]!, job.command.slice(1), o, 'the release Job (first run)');
    const second = await mustRun(job.command[0]!, job.command.slice(1), o, 'the release Job (second run)');
    if (/Applying \S+\.\d{4}/.test(second.output)) throw new StepFailure('the release Job applied migrations again on its second run', second.command, second.output);

    const web = all.find((c) => c.spec.ports?.some((p: { name: string }) => p.name === 'http'));
    if (!web) throw new StepFailure('no container with a port named http');
    await runWeb(ctx, web);
    for (const c of all.filter((x) => x.kind === 'Deployment' && x !== web)) await runBackground(ctx, c);
  },
};

interface ProbeSpec {
  httpGet: { path: string; port: string | number; scheme?: string; httpHeaders?: unknown };
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

async function runWeb(ctx: Context, c: Container): Promise<void> {
  const containerPort: number = c.spec.ports.find((p: { name: string }) => p.name === 'http').containerPort;
  const preStop: number = c.spec.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const grace: number = c.pod.terminationGracePeriodSeconds ?? 30;
  const port = await freePort();
  const marker = path.join(ctx.work, 'e2e-kubelet-slow-started');
  rmSync(marker, { force: true });
  const slowSeconds = preStop + 3;

  await withSlowView(ctx, async () => {
    // The only test-only change: the settings module that adds the slow view to the project's URLs.
    const proc = start(ctx, c, { PORT: String(port), DJANGO_SETTINGS_MODULE: 'e2e_settings', E2E_SLOW_MARKER: marker, E2E_SLOW_SECONDS: String(slowSeconds) });
    const fail = (msg: string) => new StepFailure(msg, proc.command, proc.output);
    const probe = async (name: string, p: ProbeSpec) => {
      const target = p.httpGet.port === 'http' || p.httpGet.port === containerPort ? port : NaN;
      if (Number.isNaN(target)) throw fail(`${name}: port ${p.httpGet.port} is not the container's http port`);
      if ((p.httpGet.scheme ?? 'HTTP') !== 'HTTP') throw fail(`${name}: scheme ${p.httpGet.scheme}`);
      // As the kubelet sends it: Host is the pod IP, no forwarded headers.
      return request(target, p.httpGet.path, { Host: `${POD_IP}:${containerPort}`, 'User-Agent': 'kube-probe/1.37', Accept: '*/*' }, (p.timeoutSeconds ?? 1) * 1000);
    };
    // Startup: every periodSeconds, at most failureThreshold times.
    const startup: ProbeSpec = c.spec.startupProbe;
    const t0 = Date.now();
    let started = false;
    for (let i = 0; i < (startup.failureThreshold ?? 3) && !started; i++) {
      if (proc.exited) throw fail(`web exited before its startup probe passed`);
      try {
        started = (await probe('startupProbe', startup)).status === 200;
      } catch {
        /* not listening yet */
      }
      if (!started) await new Promise((r) => setTimeout(r, (startup.periodSeconds ?? 10) * 1000));
    }
    if (!started) throw fail(`the startup probe ${startup.httpGet.path} did not pass within ${(startup.failureThreshold ?? 3) * (startup.periodSeconds ?? 10)} s`);
    ctx.note(`kubelet: web startup probe passed ${((Date.now() - t0) / 1000).toFixed(1)} s after start`);
    for (const name of ['readinessProbe', 'livenessProbe'] as const) {
      const r = await probe(name, c.spec[name]).catch((e: Error) => e);
      if (r instanceof Error) throw fail(`${name} ${c.spec[name].httpGet.path}: ${r.message}`);
      if (r.status !== 200) throw fail(`${name} ${c.spec[name].httpGet.path} answered ${r.status}, want 200\n${describeResponse(r)}`);
    }

    // A request in flight when the pod is deleted: preStop pause, then SIGTERM.
    const inFlight = request(port, '/e2e-slow/', { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' }, (slowSeconds + grace + 10) * 1000).then(
      (r) => r,
      (e: Error) => e,
    );
    for (let waited = 0; !existsSync(marker); waited += 50) {
      if (waited > 15_000) throw fail('the slow request did not reach its view within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const deleted = Date.now();
    await new Promise((r) => setTimeout(r, preStop * 1000));
    // During the pause the server still serves (endpoints are draining, the process does not know yet).
    const during = await probe('readinessProbe', c.spec.readinessProbe).catch((e: Error) => e);
    if (during instanceof Error || during.status !== 200) throw fail(`readiness during the preStop pause: ${during instanceof Error ? during.message : during.status}`);
    const sigterm = Date.now();
    proc.signal('SIGTERM');
    const budget = grace * 1000 - (sigterm - deleted);
    const r = await inFlight;
    if (r instanceof Error) throw fail(`the in-flight request failed after SIGTERM: ${r.message}`);
    if (r.status !== 200 || r.text !== 'slow done') throw fail(`the in-flight request got ${r.status} "${r.text.slice(0, 200)}", want 200 "slow done"`);
    const exit = await proc.waitExit(Math.max(0, budget - (Date.now() - sigterm)));
    if (!exit) throw fail(`web still running at the end of terminationGracePeriodSeconds (${grace} s): the kubelet would SIGKILL it`);
    if (exit.code !== 0) throw fail(`web exited ${exit.code ?? exit.signal} after SIGTERM, want 0`);
    ctx.note(`kubelet: web answered the in-flight request and exited 0 ${((Date.now() - deleted) / 1000).toFixed(1)} s after deletion (preStop ${preStop} s, grace ${grace} s)`);
  });
}

/** A process without probes: started, then stopped as a pod deletion stops it. */
async function runBackground(ctx: Context, c: Container): Promise<void> {
  const grace: number = c.pod.terminationGracePeriodSeconds ?? 30;
  const preStop: number = c.spec.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const proc = start(ctx, c);
  const ready = /celery@\S+ ready\.|beat: Starting/;
  await proc.waitFor(ready, 90_000, `${c.owner} start`);
  // Settled past its start (a SIGTERM during Celery's lazy imports is another matter, see the celery step).
  await new Promise((r) => setTimeout(r, 3000 + preStop * 1000));
  if (proc.exited) throw new StepFailure(`${c.owner} exited right after starting`, proc.command, proc.output);
  proc.signal('SIGTERM');
  const exit = await proc.waitExit(grace * 1000);
  if (!exit) throw new StepFailure(`${c.owner} still running at the end of its grace period (${grace} s)`, proc.command, proc.output);
  if (exit.code !== 0) throw new StepFailure(`${c.owner} exited ${exit.code ?? exit.signal} after SIGTERM, want 0`, proc.command, proc.output);
  ctx.note(`kubelet: ${c.owner} started and exited 0 after SIGTERM (grace ${grace} s)`);
}
