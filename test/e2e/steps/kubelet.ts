/**
 * Kubernetes projects: the generated README's deploy steps, followed as written (test/kubernetes/deploy.ts) against
 * the simulated cluster, with a kubelet that runs what the cluster schedules, in the order it was applied, against
 * the real services. The user's edits the README asks for are made as a user makes them: secrets.env filled in
 * with the provisioned secret values, the overlay's config.env with the provisioned non-secret ones. Each
 * container's command and environment come from the applied objects only (ConfigMap and Secret resolved, the
 * downward API applied). One stand-in: a pod has its own network namespace, so locally a free port replaces the
 * containerPort.
 * - the release Job runs when the README's steps apply it, and `kubectl wait` completes only when it exited 0;
 *   the release steps then run a second time (a re-release of the same image): the Job runs again and applies
 *   nothing, no Deployment restarts;
 * - web: the startup, readiness and liveness probes exactly as declared (path, port, plain HTTP, Host = an IP,
 *   no proxy headers, within timeoutSeconds); then a slow request in flight, the preStop pause (serving goes
 *   on), SIGTERM, and the answer and exit 0 within the rest of terminationGracePeriodSeconds;
 * - worker and beat: start, then SIGTERM, exit 0 within their grace period.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dnsName, toSlug } from '../../../core/slug.js';
import type { Kubelet } from '../../kubernetes/cluster.js';
import { clusterFor, deploySteps, nameStorageClasses } from '../../kubernetes/deploy.js';
import { containers, type Container } from '../../kubernetes/kubelet.js';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { Background, run, StepFailure, type Env } from '../support/exec.js';
import { describeResponse, request } from '../support/http.js';
import { settled } from '../support/processes.js';
import { freePort } from '../support/services.js';
import type { Step } from '../support/step.js';
import { withSlowView } from './shutdown.js';

const KUBERNETES = 'deploy/kubernetes';
/** What a kubelet sends as Host: the pod IP and port. */
const POD_IP = '10.244.1.17';
/** The storage class a user names for a claim the README says needs ReadWriteMany. */
const SHARED_CLASS = 'shared-files';

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

/** The files the README's steps and the user's edits touch, put back as generated when the step ends. */
function snapshot(ctx: Context, files: string[]): () => void {
  const before = new Map(files.map((f) => [f, existsSync(ctx.file(f)) ? readFileSync(ctx.file(f), 'utf8') : undefined]));
  return () => {
    for (const [f, text] of before) {
      if (text === undefined) rmSync(ctx.file(f), { force: true });
      else writeFileSync(ctx.file(f), text);
    }
  };
}

export const kubelet: Step = {
  id: 'kubelet',
  title: "Kubernetes: the README's deploy steps, run as written, and what they apply run as a kubelet would run it",
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

    const readme = ctx.read('README.md');
    const overlays = ['staging', 'production'].filter((o) => existsSync(ctx.file(`${KUBERNETES}/overlays/${o}`)));
    const restore = snapshot(ctx, [
      `${KUBERNETES}/base/deployments.yaml`,
      ...overlays.flatMap((o) => [`${KUBERNETES}/overlays/${o}/kustomization.yaml`, `${KUBERNETES}/overlays/${o}/config.env`, `${KUBERNETES}/overlays/${o}/secrets.env`]),
    ]);
    try {
      await followReadme(ctx, readme, overlays, contract, provisioned, secretKeys);
    } finally {
      // The project stays as generated for the steps after this one.
      restore();
    }
  },
};

async function followReadme(ctx: Context, readme: string, overlays: string[], contract: Map<string, boolean>, provisioned: Record<string, string>, secretKeys: string[]): Promise<void> {
  const steps = deploySteps(readme);
  // The README's configuration step, as a user edits config.env: a value set there is replaced, others are added.
  const config = { DJANGO_ALLOWED_HOSTS: ALLOWED_HOST, DJANGO_CSRF_TRUSTED_ORIGINS: `https://${ALLOWED_HOST}`, ...Object.fromEntries(Object.entries(provisioned).filter(([k]) => contract.get(k) === false)) };
  for (const o of overlays) {
    const file = ctx.file(`${KUBERNETES}/overlays/${o}/config.env`);
    const kept = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !(l.slice(0, l.indexOf('=')) in config));
    writeFileSync(file, [...kept, ...Object.entries(config).map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
  }
  nameStorageClasses(readme, ctx.file(KUBERNETES), SHARED_CLASS);

  let releases = 0;
  const pods: Kubelet = {
    job: async (obj) => {
      const [job] = containers([obj, ...cluster.live()].filter((o, i) => i === 0 || o.kind === 'ConfigMap' || o.kind === 'Secret'));
      const r = await run(job!.command[0]!, job!.command.slice(1), { cwd: ctx.project, env: imageEnv(ctx, job!.env), timeoutMs: 300_000 });
      releases++;
      ctx.note(`kubelet: release Job run ${releases} exited ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
      if (r.code !== 0) throw new StepFailure(`the release Job (run ${releases}) exited ${r.code}`, r.command, r.output);
      if (releases > 1 && /Applying \S+\.\d{4}/.test(r.output)) throw new StepFailure('the release Job applied migrations again on its second run', r.command, r.output);
      return true;
    },
    deployment: async (obj) => {
      const [c] = containers([obj, ...cluster.live()].filter((o, i) => i === 0 || o.kind === 'ConfigMap' || o.kind === 'Secret'));
      if (c!.spec.ports?.some((p: { name: string }) => p.name === 'http')) await runWeb(ctx, c!);
      else await runBackground(ctx, c!);
      return true;
    },
  };
  const cluster = clusterFor(
    {
      dir: ctx.project,
      kubernetesDir: ctx.file(KUBERNETES),
      baseImage: dnsName(toSlug(ctx.combo.name)),
      secretsFile: 'secrets.env',
      secrets: Object.fromEntries(secretKeys.map((k) => [k, provisioned[k]!])),
    },
    { storageClasses: { standard: ['ReadWriteOnce', 'ReadWriteOncePod'], [SHARED_CLASS]: ['ReadWriteMany', 'ReadWriteOnce'] }, kubelet: pods },
  );
  const first = await cluster.runBlocks([...steps.once, ...steps.release]);
  if (!first.ok || cluster.violations.length) {
    throw new StepFailure(`the README's deploy steps stopped at: ${first.stoppedAt ?? '(they ran through)'}${cluster.violations.map((v) => `\n${v}`).join('')}`, undefined, first.transcript);
  }
  const started = cluster.applied.filter((a) => a.kind === 'Deployment').length;
  const again = await cluster.runBlocks(steps.release);
  if (!again.ok || cluster.violations.length) throw new StepFailure(`the README's release steps, run again, stopped at: ${again.stoppedAt}`, undefined, again.transcript);
  if (releases !== 2) throw new StepFailure(`the release Job ran ${releases} times over two releases, want 2`, undefined, again.transcript);
  if (cluster.applied.filter((a) => a.kind === 'Deployment').length !== started) throw new StepFailure('a re-release of the same image restarted Deployments', undefined, again.transcript);
  ctx.note(`kubelet: the README's steps applied ${cluster.applied.length} objects in order (${cluster.applied.map((a) => `${a.kind}/${a.name}`).join(', ')})`);
}

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
  // Settled past its start, as the celery step waits: "Starting" comes before the scheduler is set up, and a
  // SIGTERM in the middle of that is a kill during start-up (the grace period then ends it), not a stop.
  await settled(proc, 60_000);
  await new Promise((r) => setTimeout(r, preStop * 1000));
  if (proc.exited) throw new StepFailure(`${c.owner} exited right after starting`, proc.command, proc.output);
  proc.signal('SIGTERM');
  const exit = await proc.waitExit(grace * 1000);
  if (!exit) throw new StepFailure(`${c.owner} still running at the end of its grace period (${grace} s)`, proc.command, proc.output);
  if (exit.code !== 0) throw new StepFailure(`${c.owner} exited ${exit.code ?? exit.signal} after SIGTERM, want 0`, proc.command, proc.output);
  ctx.note(`kubelet: ${c.owner} started and exited 0 after SIGTERM (grace ${grace} s)`);
}
