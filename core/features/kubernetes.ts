/**
 * Kubernetes: a Kustomize base (one Deployment per long-running process, the release Job, the web Service,
 * config from the env contract, disruption budgets and autoscalers) and overlays per environment.
 * Everything the manifests hold is derived from the model by `kubernetesPlan`; the templates only print it.
 */
import type { EnvVar, Feature, Model, Process } from '../feature.js';
import { TIMEOUTS } from '../timeouts.js';
import { PROBES } from '../runtime.js';

export const KUBERNETES_DIR = 'deploy/kubernetes';
/** The overlays generated; each is `kubectl apply -k`-able. */
export const OVERLAYS = ['staging', 'production'] as const;
/** The git-ignored file each overlay generates its Secret from. */
export const SECRETS_FILE = 'secrets.env';
/** The git-ignored file the KEDA component generates the Redis scaler's credentials from. */
export const KEDA_SECRETS_FILE = 'keda.env';

/** Requests and limits per kind of process. The web server forks one worker per requested core (downward API). */
const RESOURCES = {
  web: { requests: { cpu: '1', memory: '384Mi' }, limits: { cpu: '2', memory: '768Mi' } },
  worker: { requests: { cpu: '500m', memory: '384Mi' }, limits: { cpu: '1', memory: '768Mi' } },
  singleton: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '500m', memory: '384Mi' } },
  oneOff: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
} as const;

type Resources = (typeof RESOURCES)[keyof typeof RESOURCES];

export interface Probe {
  path: string;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

export interface Workload {
  process: Process;
  /** Object name: `<app>-<process>`. */
  name: string;
  /** Fixed replica count for a singleton; scaled ones leave it to the autoscaler. */
  replicas?: number;
  strategy: 'Recreate' | 'RollingUpdate';
  resources: Resources;
  /** The pause before SIGTERM while endpoints stop routing here (web only: only web has endpoints). */
  preStopSeconds?: number;
  /** preStop plus the process's own stop window: SIGKILL never comes before the process exits by itself. */
  terminationGracePeriodSeconds: number;
  /** CPU-based HorizontalPodAutoscaler (min, max, target utilisation %). */
  hpa?: { min: number; max: number; cpu: number };
  /** Scaled on its queue's length by KEDA (a component the overlay can leave out; the CPU HPA otherwise). */
  queue?: { name: string; trigger: 'redis' | 'rabbitmq'; brokerUrlEnv: string; databaseIndex?: string; length: number; max: number };
}

export interface KubernetesPlan {
  /** DNS-1123 name: labels and object name prefix. */
  app: string;
  /** The web container's port: the PORT variable of the env contract. */
  port: number;
  workloads: Workload[];
  release?: { process: Process; name: string; resources: Resources; backoffLimit: number; activeDeadlineSeconds: number };
  /** ConfigMap: every non-secret variable but those set per container from its CPU request. */
  config: EnvVar[];
  /** Secret keys: exactly the secret variables of `.env.example`. */
  secrets: EnvVar[];
  /** Writable directories on a read-only root: scratch paths as emptyDir, app volumes as claims. */
  volumes: { name: string; path: string; kind: 'emptyDir' | 'claim'; why: string }[];
  probes: { startup: Probe; readiness: Probe; liveness: Probe };
  secretsFile: string;
  kedaSecretsFile: string;
  overlays: Overlay[];
  /** The image name the base uses; overlays point it at the registry and tag. */
  image: string;
}

export interface Overlay {
  name: string;
  namespace: string;
  /** The Ingress host; the env contract's host examples are rewritten to it. */
  host: string;
  /** Scale the worker on queue length with KEDA (the component), or keep the CPU autoscaler. */
  keda: boolean;
  /** Non-secret variables whose example names a host: this environment's values. */
  config: { name: string; value: string }[];
  webMinReplicas: number;
}

/** Where each overlay lives; production scales the worker on queue length, staging shows the plain HPA. */
const OVERLAY_DATA: Record<(typeof OVERLAYS)[number], { host: string; keda: boolean; webMinReplicas: number }> = {
  staging: { host: 'staging.example.com', keda: false, webMinReplicas: 1 },
  production: { host: 'example.com', keda: true, webMinReplicas: 3 },
};
/** The placeholder domain of the env contract's examples. */
const EXAMPLE_DOMAIN = 'example.com';

declare module '../feature.js' {
  interface ModelFacts {
    /** What the Kubernetes manifests need, derived from the rest of the model (only with `--kubernetes`). */
    kubernetes?: KubernetesPlan;
  }
}

export function kubernetesPlan(m: Model): KubernetesPlan {
  const app = m.dnsName;
  const port = Number(m.env.find((v) => v.name === 'PORT')?.example ?? NaN);
  if (!Number.isInteger(port)) throw new Error('kubernetes: the env contract has no numeric PORT');
  const perCpu = new Set(m.processes.flatMap((p) => (p.concurrencyEnv ? [p.concurrencyEnv] : [])));
  const workloads = m.processes
    .filter((p) => !p.oneOff)
    .map((p): Workload => {
      const preStop = p.web ? TIMEOUTS.preStop : 0;
      const base = {
        process: p,
        name: `${app}-${p.name}`,
        preStopSeconds: p.web ? preStop : undefined,
        terminationGracePeriodSeconds: preStop + p.stopSeconds!,
      };
      if (p.singleton) return { ...base, replicas: 1, strategy: 'Recreate', resources: RESOURCES.singleton };
      const queue = p.queue && queueTrigger(m, p.queue);
      return {
        ...base,
        strategy: 'RollingUpdate',
        resources: p.web ? RESOURCES.web : RESOURCES.worker,
        hpa: p.web ? { min: 2, max: 10, cpu: 70 } : { min: 1, max: 10, cpu: 80 },
        queue,
      };
    });
  const releaseProcess = m.processes.find((p) => p.oneOff);
  const config = m.env.filter((v) => !v.secret && !perCpu.has(v.name));
  const scalesOnQueue = workloads.some((w) => w.queue);
  return {
    app,
    port,
    image: app,
    secretsFile: SECRETS_FILE,
    kedaSecretsFile: KEDA_SECRETS_FILE,
    overlays: OVERLAYS.map((name) => {
      const o = OVERLAY_DATA[name];
      return {
        name,
        namespace: `${app}-${name}`,
        host: o.host,
        keda: o.keda && scalesOnQueue,
        webMinReplicas: o.webMinReplicas,
        config: config
          .filter((v) => v.example.includes(EXAMPLE_DOMAIN))
          .map((v) => ({ name: v.name, value: hostsFor(v.example, o.host) })),
      };
    }),
    workloads,
    release: releaseProcess && {
      process: releaseProcess,
      name: `${app}-${releaseProcess.name}`,
      resources: RESOURCES.oneOff,
      // Safe to run twice (release.sh): one retry for a database that blinked.
      backoffLimit: 1,
      activeDeadlineSeconds: 600,
    },
    config,
    secrets: m.env.filter((v) => v.secret),
    volumes: [
      ...m.writablePaths.map((w) => ({ name: volumeName(w.path), path: w.path, kind: 'emptyDir' as const, why: w.why })),
      ...m.appVolumes.map((v) => ({ name: v.name, path: v.path, kind: 'claim' as const, why: 'state that outlives the pod' })),
    ],
    probes: {
      // Up to a minute to start (imports, first database connection), then ready-checked every 5 s.
      startup: { path: PROBES.readiness, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 },
      readiness: { path: PROBES.readiness, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
      liveness: { path: PROBES.liveness, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    },
  };
}

function queueTrigger(m: Model, q: { name: string; brokerUrlEnv: string }): Workload['queue'] {
  const example = m.env.find((v) => v.name === q.brokerUrlEnv)?.example ?? '';
  const scheme = /^(\w+):/.exec(example)?.[1];
  const common = { brokerUrlEnv: q.brokerUrlEnv, name: q.name, length: 20, max: 10 };
  if (scheme === 'redis' || scheme === 'rediss') return { ...common, trigger: 'redis', databaseIndex: /\/(\d+)$/.exec(example)?.[1] ?? '0' };
  if (scheme === 'amqp' || scheme === 'amqps') return { ...common, trigger: 'rabbitmq' };
  return undefined;
}

/** `example.com,www.example.com` for staging.example.com -> `staging.example.com` (one host per environment). */
function hostsFor(example: string, host: string): string {
  const items = example.split(',');
  const first = items[0]!;
  const at = first.indexOf(EXAMPLE_DOMAIN);
  const rewritten = first.slice(0, at).replace(/(https?:\/\/).*$/, '$1') + host;
  return host === EXAMPLE_DOMAIN ? example : rewritten;
}

const volumeName = (path: string) => path.replace(/^\/+/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase() || 'root';

export const kubernetes: Feature = {
  id: 'kubernetes',
  applies: (a) => a.kubernetes,
  derive: (m) => ({ kubernetes: kubernetesPlan(m) }),
  contribute: (a) => {
    const d = KUBERNETES_DIR;
    const keda = a.celery ? [`${d}/components/keda-worker/kustomization.yaml`, `${d}/components/keda-worker/scaledobject.yaml`] : [];
    return {
      files: [
        `${d}/base/kustomization.yaml`,
        `${d}/base/config.env`,
        `${d}/base/deployments.yaml`,
        `${d}/base/release-job.yaml`,
        `${d}/base/service.yaml`,
        `${d}/base/availability.yaml`,
        `${d}/${SECRETS_FILE}.example`,
        ...keda,
        // One template per file of an overlay, rendered for each (`m.f.overlay`).
        ...OVERLAYS.flatMap((o) =>
          ['kustomization.yaml', 'config.env', 'ingress.yaml'].map((f) => ({ path: `${d}/overlays/${o}/${f}`, template: `${d}/overlays/__overlay__/${f}`, data: { overlay: o } })),
        ),
      ],
      readmeSections: ['deploy/kubernetes/partials/readme.md.ejs'],
      // Each overlay's secret values, never committed, never in the image.
      ignored: [`${d}/**/${SECRETS_FILE}`, ...(a.celery ? [`${d}/**/${KEDA_SECRETS_FILE}`] : [])],
      factors: [
        {
          factor: 'VIII',
          text: 'On Kubernetes each process type is a Deployment: web and the worker scale with autoscalers, beat stays at one',
          files: [`${d}/base/deployments.yaml`, `${d}/base/availability.yaml`],
        },
        {
          factor: 'IX',
          text: 'Kubernetes pauses before SIGTERM while endpoints drain and waits longer than each process needs to stop',
          files: [`${d}/base/deployments.yaml`],
        },
      ],
    };
  },
};
