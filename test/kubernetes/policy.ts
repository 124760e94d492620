/**
 * The rules of issue 9 as checks on Kubernetes objects, read from the project's own files: `.env.example` (which
 * variables are secret), the Dockerfile (the image's user), the Procfile (commands). Each returns the problems
 * found; a test expects none. Used on the base as rendered (fast, no kustomize) and on every overlay as
 * `kubectl kustomize` renders it.
 */
import type { Model } from '../../core/model.js';
import { TIMEOUTS } from '../../core/timeouts.js';

// Loose shapes: the objects are parsed YAML, checked here, so `any` is the honest type.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: any };

export interface ProjectFacts {
  /** .env.example: name -> secret? */
  env: Map<string, boolean>;
  /** The numeric user of the Dockerfile's USER line. */
  uid: number;
  /** Procfile: process -> command line. */
  procfile: Record<string, string>;
}

export function projectFacts(files: ReadonlyMap<string, string>): ProjectFacts {
  const env = new Map<string, boolean>();
  let secret = false;
  for (const line of files.get('.env.example')!.split('\n')) {
    if (line.startsWith('# Factor ')) secret = /; secret\.$/.test(line);
    const m = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) env.set(m[1]!, secret);
  }
  const uid = Number(/^USER (\d+)(?::\d+)?$/m.exec(files.get('Dockerfile')!)![1]);
  const procfile = Object.fromEntries(
    files.get('Procfile')!.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { env, uid, procfile };
}

const podSpec = (o: K8sObject) => o.spec.template.spec;
const sameLabels = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * Problems with a set of objects (one overlay as rendered, or the base as rendered by the generator
 * with `rendered: false`: no Secret, no namespace, names without hashes).
 */
export function policyProblems(objects: K8sObject[], m: Model, facts: ProjectFacts, opts: { rendered: boolean; keda: boolean }): string[] {
  const problems: string[] = [];
  const fail = (what: string) => problems.push(what);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = of('Deployment');
  const jobs = of('Job');
  const longRunning = m.processes.filter((p) => !p.oneOff);

  // One Deployment per long-running process, its command the Procfile's.
  const names = deployments.map((d) => d.spec.template.spec.containers[0].name).sort();
  if (JSON.stringify(names) !== JSON.stringify(longRunning.map((p) => p.name).sort())) fail(`Deployments ${names} != Procfile processes ${longRunning.map((p) => p.name)}`);
  for (const p of longRunning) {
    const d = deployments.find((x) => podSpec(x).containers[0].name === p.name);
    if (!d) continue;
    const c = podSpec(d).containers[0];
    if ((c.command ?? []).join(' ') !== facts.procfile[p.name]) fail(`${p.name}: command "${c.command?.join(' ')}" is not the Procfile's "${facts.procfile[p.name]}"`);
    if (!sameLabels(d.spec.selector.matchLabels, d.spec.template.metadata.labels)) fail(`${p.name}: selector does not match the pod labels`);
    if (p.singleton) {
      if (d.spec.replicas !== 1) fail(`${p.name}: a singleton needs replicas: 1, has ${d.spec.replicas}`);
      if (d.spec.strategy?.type !== 'Recreate') fail(`${p.name}: a singleton needs strategy Recreate (never two at once)`);
      for (const kind of ['HorizontalPodAutoscaler', 'ScaledObject']) {
        if (of(kind).some((h) => (h.spec.scaleTargetRef?.name ?? '') === d.metadata.name)) fail(`${p.name}: a singleton must not be autoscaled (${kind})`);
      }
    } else {
      const pdb = of('PodDisruptionBudget').find((b) => sameLabels(b.spec.selector.matchLabels, d.spec.template.metadata.labels));
      if (!pdb) fail(`${p.name}: no PodDisruptionBudget selects its pods`);
      const spread = podSpec(d).topologySpreadConstraints ?? [];
      if (!spread.some((t: any) => t.topologyKey === 'kubernetes.io/hostname' && sameLabels(t.labelSelector.matchLabels, d.spec.template.metadata.labels))) {
        fail(`${p.name}: no topology spread across nodes selecting its own pods`);
      }
      const hpa = of('HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      const scaled = of('ScaledObject').filter((s) => s.spec.scaleTargetRef.name === d.metadata.name);
      if (p.queue && opts.keda) {
        if (hpa.length || scaled.length !== 1) fail(`${p.name}: with KEDA, want one ScaledObject and no HPA, got ${scaled.length} and ${hpa.length}`);
        for (const s of scaled) {
          const broker = m.env.find((v) => v.name === p.queue!.brokerUrlEnv)!.example.split(':')[0]!;
          const t = s.spec.triggers[0];
          if (!t.type.startsWith(broker.replace(/^amqps?$/, 'rabbitmq').replace(/^rediss$/, 'redis'))) fail(`${p.name}: KEDA trigger ${t.type} for a ${broker} broker`);
          const queue = t.metadata.queueName ?? t.metadata.listName;
          if (queue !== p.queue.name) fail(`${p.name}: KEDA watches queue ${queue}, the worker consumes ${p.queue.name}`);
          if (t.metadata.hostFromEnv && !facts.env.get(t.metadata.hostFromEnv)) fail(`${p.name}: hostFromEnv ${t.metadata.hostFromEnv} is not a secret variable of .env.example`);
        }
      } else if (hpa.length !== 1 || scaled.length) fail(`${p.name}: want one HorizontalPodAutoscaler, got ${hpa.length} (and ${scaled.length} ScaledObjects)`);
      if (d.spec.replicas !== undefined && hpa.length + scaled.length) fail(`${p.name}: replicas set while an autoscaler owns them (every apply would reset them)`);
    }
    // Graceful stop: preStop pause for web, then the process's own window.
    const pre = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    if (p.web && pre !== TIMEOUTS.preStop) fail(`${p.name}: preStop pause ${pre}, want ${TIMEOUTS.preStop}`);
    const grace = podSpec(d).terminationGracePeriodSeconds;
    if (grace !== pre + p.stopSeconds!) fail(`${p.name}: terminationGracePeriodSeconds ${grace}, want preStop ${pre} + stop window ${p.stopSeconds}`);
    if (p.web && grace <= pre + TIMEOUTS.webGraceful) fail(`${p.name}: grace ${grace} does not outlast preStop + the server's graceful timeout`);
    if (p.queue && grace < TIMEOUTS.taskHard) fail(`${p.name}: grace ${grace} is shorter than Celery's task time limit ${TIMEOUTS.taskHard}`);
  }

  // The release Job: the Procfile's release command, never restarted in place.
  const release = m.processes.find((p) => p.oneOff)!;
  if (jobs.length !== 1) fail(`want one Job (release), got ${jobs.length}`);
  for (const j of jobs) {
    const c = podSpec(j).containers[0];
    if (c.command.join(' ') !== facts.procfile[release.name]) fail(`Job: command ${c.command} is not the Procfile's release`);
    if (podSpec(j).restartPolicy !== 'Never') fail('Job: restartPolicy must be Never');
  }

  // Every pod: hardened, with resources, configured from the ConfigMap and Secret.
  const web = deployments.find((d) => podSpec(d).containers[0].name === m.web.name);
  for (const o of [...deployments, ...jobs]) {
    const spec = podSpec(o);
    const who = `${o.kind} ${o.metadata.name}`;
    if (spec.automountServiceAccountToken !== false) fail(`${who}: automountServiceAccountToken must be false`);
    const sc = spec.securityContext ?? {};
    if (sc.runAsNonRoot !== true) fail(`${who}: runAsNonRoot`);
    if (sc.runAsUser !== facts.uid) fail(`${who}: runAsUser ${sc.runAsUser}, the Dockerfile's user is ${facts.uid}`);
    for (const c of spec.containers) {
      const csc = c.securityContext ?? {};
      if (csc.allowPrivilegeEscalation !== false) fail(`${who}/${c.name}: allowPrivilegeEscalation must be false`);
      if (csc.readOnlyRootFilesystem !== true) fail(`${who}/${c.name}: readOnlyRootFilesystem must be true`);
      if (JSON.stringify(csc.capabilities?.drop) !== '["ALL"]') fail(`${who}/${c.name}: capabilities must drop ALL`);
      if ((csc.seccompProfile ?? sc.seccompProfile)?.type !== 'RuntimeDefault') fail(`${who}/${c.name}: seccomp RuntimeDefault`);
      for (const r of ['cpu', 'memory']) {
        if (!c.resources?.requests?.[r] || !c.resources?.limits?.[r]) fail(`${who}/${c.name}: ${r} request and limit`);
        else if (quantity(c.resources.limits[r]) < quantity(c.resources.requests[r])) fail(`${who}/${c.name}: ${r} limit below request`);
      }
      // Writable only where the model declares it for this process; a claim in the release Job only where it is named.
      const process = o.kind === 'Job' ? release : longRunning.find((p) => p.name === c.name)!;
      const mounts: string[] = (c.volumeMounts ?? []).map((v: any) => v.mountPath).sort();
      const declared = [...new Set([...m.writablePaths.filter((w) => writes(w, process)), ...m.appVolumes.filter((v) => (process.oneOff ? v.processes?.includes(process.name) === true : writes(v, process)))].map((w) => w.path))].sort();
      if (JSON.stringify(mounts) !== JSON.stringify(declared)) fail(`${who}/${c.name}: writable mounts ${mounts}, the model declares ${declared}`);
      // A file a command names outside the image (beat's schedule, say) must be on writable space.
      for (const arg of [...(c.command ?? []), ...(c.args ?? [])].filter((a: string) => a.startsWith('/'))) {
        if (!declared.some((d) => arg === d || arg.startsWith(`${d}/`))) fail(`${who}/${c.name}: ${arg} is on the read-only root file system`);
      }
      const refs = (c.envFrom ?? []).map((e: any) => e.configMapRef?.name ?? e.secretRef?.name);
      const cm = of('ConfigMap')[0];
      const secret = of('Secret').find((s) => s.metadata.name.startsWith(`${m.kubernetes!.app}-secrets`));
      if (!cm || !refs.includes(cm.metadata.name)) fail(`${who}/${c.name}: envFrom does not name the ConfigMap ${cm?.metadata.name}`);
      if (opts.rendered && (!secret || !refs.includes(secret.metadata.name))) fail(`${who}/${c.name}: envFrom does not name the Secret ${secret?.metadata.name}`);
    }
  }

  // Claims: one per app volume some process uses; ReadWriteMany only when pods share it (never by default otherwise).
  for (const pvc of of('PersistentVolumeClaim')) {
    const users = [...deployments, ...jobs].filter((o) => (podSpec(o).volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
    const onePod = users.length === 1 && users[0]!.kind === 'Deployment' && users[0]!.spec.replicas === 1 && users[0]!.spec.strategy?.type === 'Recreate';
    const modes = JSON.stringify(pvc.spec.accessModes);
    if (modes !== JSON.stringify([onePod ? 'ReadWriteOnce' : 'ReadWriteMany'])) fail(`claim ${pvc.metadata.name}: access modes ${modes} for ${users.length} workload(s)${onePod ? ' running one pod' : ''}`);
    if (!users.length) fail(`claim ${pvc.metadata.name}: no pod mounts it`);
    if (!pvc.metadata.labels?.['app.kubernetes.io/component']) fail(`claim ${pvc.metadata.name}: no component label (a deploy step that selects by label would miss it)`);
  }

  // Web: probes as a kubelet sends them, a Service on the PORT of the env contract, concurrency from the CPU request.
  const port = Number(m.env.find((v) => v.name === 'PORT')!.example);
  if (web) {
    const c = podSpec(web).containers[0];
    const named = (c.ports ?? []).find((p: any) => p.name === 'http');
    if (named?.containerPort !== port) fail(`web: containerPort ${named?.containerPort}, PORT is ${port}`);
    const want = { startupProbe: m.probes.readiness, readinessProbe: m.probes.readiness, livenessProbe: m.probes.liveness };
    for (const [probe, path] of Object.entries(want)) {
      const g = c[probe]?.httpGet;
      if (!g) fail(`web: no ${probe} httpGet`);
      else {
        if (g.path !== path) fail(`web: ${probe} path ${g.path}, want ${path}`);
        if (g.port !== 'http' && g.port !== port) fail(`web: ${probe} port ${g.port}`);
        if ((g.scheme ?? 'HTTP') !== 'HTTP' || g.host || g.httpHeaders) fail(`web: ${probe} must be plain HTTP with no Host or headers (a kubelet sends the pod IP)`);
      }
    }
    const concurrency = (c.env ?? []).find((e: any) => e.name === m.web.concurrencyEnv);
    const ref = concurrency?.valueFrom?.resourceFieldRef;
    if (ref?.resource !== 'requests.cpu' || String(ref.divisor) !== '1') fail(`web: ${m.web.concurrencyEnv} must follow the CPU request (downward API, divisor 1)`);
    const svc = of('Service').find((s) => sameLabels(s.spec.selector, web.spec.template.metadata.labels));
    if (!svc || !svc.spec.ports.some((p: any) => p.targetPort === 'http' || p.targetPort === port)) fail('web: no Service targets its port');
    if (opts.rendered) {
      const ing = of('Ingress')[0];
      const backend = ing?.spec.rules[0].http.paths[0].backend.service;
      if (!ing || backend.name !== svc?.metadata.name) fail('overlay: no Ingress to the web Service');
    }
    if (!of('HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === web.metadata.name)) fail('web: no HorizontalPodAutoscaler');
  }

  // Config: the non-secret variables of .env.example (less the per-container ones), secrets exactly the secret ones.
  const cm = of('ConfigMap')[0];
  const perContainer = m.processes.flatMap((p) => (p.concurrencyEnv ? [p.concurrencyEnv] : []));
  const wantConfig = [...facts.env].filter(([n, s]) => !s && !perContainer.includes(n)).map(([n]) => n).sort();
  const gotConfig = Object.keys(cm?.data ?? {}).sort();
  if (JSON.stringify(gotConfig) !== JSON.stringify(wantConfig)) fail(`ConfigMap keys ${gotConfig} != non-secret variables ${wantConfig}`);
  if (cm && cm.data.PORT !== String(port)) fail(`ConfigMap PORT ${cm.data.PORT} != ${port}`);
  if (opts.rendered) {
    const secret = of('Secret').find((s) => s.metadata.name.startsWith(`${m.kubernetes!.app}-secrets`));
    const wantSecret = [...facts.env].filter(([, s]) => s).map(([n]) => n).sort();
    const gotSecret = Object.keys(secret?.data ?? {}).sort();
    if (JSON.stringify(gotSecret) !== JSON.stringify(wantSecret)) fail(`Secret keys ${gotSecret} != secret variables of .env.example ${wantSecret}`);
    if (of('Secret').some((s) => s.metadata.name === `${m.kubernetes!.app}-secrets`) || of('ConfigMap').some((c) => c.metadata.name === `${m.kubernetes!.app}-config`)) {
      fail('the Secret or ConfigMap has no content hash in its name: a changed value would not roll the pods');
    }
  }
  return problems;
}

/** Does a process write this path? Those it names, or every process when it names none. */
function writes(v: object, p: { name: string }): boolean {
  const names = (v as { processes?: readonly string[] }).processes;
  return !names || names.includes(p.name);
}

/** A Kubernetes quantity as a number (cores or bytes). */
export function quantity(q: string | number): number {
  const s = String(q);
  const units: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 };
  const m = /^([\d.]+)([a-zA-Z]*)$/.exec(s);
  if (!m) throw new Error(`not a quantity: ${s}`);
  return Number(m[1]) * (m[2] ? units[m[2]]! : 1);
}
