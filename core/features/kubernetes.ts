/**
 * Kubernetes: a Kustomize base (one Deployment per long-running process, the release Job, the web Service,
 * config from the env contract, disruption budgets and autoscalers) and overlays per environment.
 * Everything the manifests hold is derived from the model by `kubernetesPlan`; the templates only print it.
 */
import { writtenBy, type AppVolume, type EnvVar, type Feature, type Model, type Process, type WrittenBy } from '../feature.js';
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
  /** Scaled on its queue's length by KEDA (a component an overlay switches on; the CPU HPA otherwise). */
  queue?: { name: string; trigger: 'redis' | 'rabbitmq'; brokerUrlEnv: string; databaseIndex?: string; address?: string; length: number; max: number };
  /** What this process's pods mount: only the writable space and the claims it uses. */
  volumes: Mount[];
}

/** A writable directory on the read-only root: scratch space (emptyDir) or a claim. */
export interface Mount {
  name: string;
  path: string;
  kind: 'emptyDir' | 'claim';
  why: string;
  /** The PersistentVolumeClaim's name, for a claim. */
  claimName?: string;
}

/** A PersistentVolumeClaim for one of the model's app volumes. */
export interface Claim {
  name: string;
  path: string;
  why: string;
  /** ReadWriteOnce when a single pod mounts it (a singleton); ReadWriteMany only when pods share it. */
  accessMode: 'ReadWriteOnce' | 'ReadWriteMany';
  /** The workloads whose pods mount it. */
  users: string[];
  size: string;
}

export interface KubernetesPlan {
  /** DNS-1123 name: labels and object name prefix. */
  app: string;
  /** The web container's port: the PORT variable of the env contract. */
  port: number;
  workloads: Workload[];
  release?: {
    process: Process;
    name: string;
    resources: Resources;
    backoffLimit: number;
    activeDeadlineSeconds: number;
    volumes: Mount[];
    /** The component labels of the release Job and of everything its pod references: what the deploy applies first. */
    components: string[];
  };
  /** The component label of the ConfigMap and the Secrets. */
  configComponent: string;
  /** The component label of the claims. */
  storageComponent: string;
  /** ConfigMap: every non-secret variable but those set per container from its CPU request. */
  config: EnvVar[];
  /** Secret keys: exactly the secret variables of `.env.example`. */
  secrets: EnvVar[];
  /** Claims for the model's app volumes, mounted only by the processes that use them. */
  claims: Claim[];
  probes: { startup: Probe; readiness: Probe; liveness: Probe };
  secretsFile: string;
  kedaSecretsFile: string;
  /** The worker scaled on its queue with KEDA: a component each overlay can switch on (off as generated). */
  keda?: { workload: Workload; component: string; overlayComponent: string; /** What keda.env's address looks like (the broker's host:port). */ addressExample?: string };
  overlays: Overlay[];
  /** The overlay the README walks through. */
  deployOverlay: Overlay;
  /** The README section's headings. */
  readme: typeof README_DEPLOY;
  /** The image name the base uses; overlays point it at the registry and tag. */
  image: string;
  /** Where the build pushes the image, and the tag of the first release. */
  registryImage: string;
  firstTag: string;
  /** The example Ingress's controller class. */
  ingressClass: string;
  /** Each scratch directory's limit (emptyDir). */
  scratchSize: string;
}

export interface Overlay {
  name: string;
  namespace: string;
  /** The Ingress host; the env contract's host examples are rewritten to it. */
  host: string;
  /** Non-secret variables whose example names a host: this environment's values. */
  config: { name: string; value: string }[];
  webMinReplicas: number;
}

/** The headings of the generated README's Kubernetes section: the README partial prints them, the deploy test reads them. */
export const README_DEPLOY = {
  section: 'Deploy to Kubernetes',
  once: 'Once per environment',
  release: 'Every release',
  keda: 'Scale the worker on its queue (KEDA)',
} as const;

/** Where each overlay lives; the README walks through the last. */
const OVERLAY_DATA: Record<(typeof OVERLAYS)[number], { host: string; webMinReplicas: number }> = {
  staging: { host: 'staging.example.com', webMinReplicas: 1 },
  production: { host: 'example.com', webMinReplicas: 3 },
};
/** The placeholder domain of the env contract's examples. */
const EXAMPLE_DOMAIN = 'example.com';
/** The placeholder registry the README's build pushes to. */
const EXAMPLE_REGISTRY = 'registry.example.com';

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
  const longRunning = m.processes.filter((p) => !p.oneOff);
  // One emptyDir per path the process writes, with the reasons of the declarations that name it.
  const scratch = (p: Process): Mount[] => {
    const mine = m.writablePaths.filter((w) => usedBy(w, p));
    return [...new Set(mine.map((w) => w.path))].map((path) => ({
      name: volumeName(path),
      path,
      kind: 'emptyDir',
      why: mine.filter((w) => w.path === path).map((w) => w.why).join('; '),
    }));
  };
  // Claims: the app volumes, each mounted only by the processes that write there.
  const releaseProcess = m.processes.find((p) => p.oneOff);
  const claimUsers = (v: AppVolume) => m.processes.filter((p) => usedBy(v, p, true));
  const mounts = (p: Process): Mount[] => [...scratch(p), ...m.appVolumes.filter((v) => usedBy(v, p, true)).map(claimMount)];
  const claimMount = (v: AppVolume): Mount => ({ name: v.name, path: v.path, kind: 'claim', why: CLAIM_WHY, claimName: `${app}-${v.name}` });
  const workloads = longRunning.map((p): Workload => {
    const preStop = p.web ? TIMEOUTS.preStop : 0;
    const base = {
      process: p,
      name: `${app}-${p.name}`,
      preStopSeconds: p.web ? preStop : undefined,
      terminationGracePeriodSeconds: preStop + p.stopSeconds!,
      volumes: mounts(p),
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
  const claims = m.appVolumes
    .map((v): Claim => {
      const users = claimUsers(v);
      // One pod at a time only for a single singleton process; anything else shares the volume between pods.
      const single = users.length === 1 && users[0]!.singleton === true && !users[0]!.oneOff;
      return { name: `${app}-${v.name}`, path: v.path, why: CLAIM_WHY, accessMode: single ? 'ReadWriteOnce' : 'ReadWriteMany', users: users.map((p) => `${app}-${p.name}`), size: '1Gi' };
    })
    .filter((c) => c.users.length);
  const config = m.env.filter((v) => !v.secret && !perCpu.has(v.name));
  const queued = workloads.find((w) => w.queue);
  const overlays = OVERLAYS.map((name): Overlay => {
    const o = OVERLAY_DATA[name];
    return {
      name,
      namespace: `${app}-${name}`,
      host: o.host,
      webMinReplicas: o.webMinReplicas,
      config: config.filter((v) => v.example.includes(EXAMPLE_DOMAIN)).map((v) => ({ name: v.name, value: hostsFor(v.example, o.host) })),
    };
  });
  const releaseVolumes = releaseProcess ? mounts(releaseProcess) : [];
  return {
    app,
    port,
    image: app,
    registryImage: `${EXAMPLE_REGISTRY}/${app}`,
    firstTag: '0.1.0',
    ingressClass: 'nginx',
    scratchSize: '256Mi',
    secretsFile: SECRETS_FILE,
    kedaSecretsFile: KEDA_SECRETS_FILE,
    configComponent: CONFIG_COMPONENT,
    storageComponent: STORAGE_COMPONENT,
    keda: queued && { workload: queued, component: KEDA_COMPONENT, overlayComponent: KEDA_OVERLAY_COMPONENT, addressExample: queued.queue!.address },
    overlays,
    deployOverlay: overlays.at(-1)!,
    readme: README_DEPLOY,
    workloads,
    release: releaseProcess && {
      process: releaseProcess,
      name: `${app}-${releaseProcess.name}`,
      resources: RESOURCES.oneOff,
      // Safe to run twice (release.sh): one retry for a database that blinked.
      backoffLimit: 1,
      activeDeadlineSeconds: 600,
      volumes: releaseVolumes,
      components: [CONFIG_COMPONENT, ...(releaseVolumes.some((v) => v.kind === 'claim') ? [STORAGE_COMPONENT] : []), releaseProcess.name],
    },
    config,
    secrets: m.env.filter((v) => v.secret),
    claims,
    probes: {
      // Up to a minute to start (imports, first database connection), then ready-checked every 5 s.
      startup: { path: PROBES.readiness, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 },
      readiness: { path: PROBES.readiness, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
      liveness: { path: PROBES.liveness, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    },
  };
}

const CLAIM_WHY = 'state that outlives the pod';
const CONFIG_COMPONENT = 'config';
const STORAGE_COMPONENT = 'storage';
/** The shared KEDA component (components/<name>) and the per-overlay one that switches it on with its secrets. */
const KEDA_COMPONENT = 'keda-worker';
const KEDA_OVERLAY_COMPONENT = 'keda';

/**
 * Does this process mount it? Scratch space: where the model says the process writes. A claim: the same for a
 * long-running process; the release only when the volume names it (a claim the release shares with serving pods
 * cannot be ReadWriteOnce, and no release step needs one).
 */
function usedBy(v: WrittenBy, p: Process, claim = false): boolean {
  if (claim && p.oneOff) return v.processes?.includes(p.name) === true;
  return writtenBy(v, p.name);
}

/** How KEDA watches the queue: the trigger for the broker's scheme, and for Redis its database and address, from the broker URL. */
function queueTrigger(m: Model, q: { name: string; brokerUrlEnv: string }): Workload['queue'] {
  const example = m.env.find((v) => v.name === q.brokerUrlEnv)?.example;
  if (!example) throw new Error(`kubernetes: the queue names ${q.brokerUrlEnv}, which the env contract does not declare`);
  const url = new URL(example);
  const common = { brokerUrlEnv: q.brokerUrlEnv, name: q.name, length: 20, max: 10 };
  if (url.protocol === 'redis:' || url.protocol === 'rediss:') {
    // redis-py: the path is the database number, none means 0.
    return { ...common, trigger: 'redis', databaseIndex: url.pathname.replace(/^\//, '') || '0', address: url.host };
  }
  if (url.protocol === 'amqp:' || url.protocol === 'amqps:') return { ...common, trigger: 'rabbitmq' };
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
    // With Celery the worker can scale on its queue: the shared KEDA component and each overlay's switch for it.
    const keda = a.celery
      ? [
          `${d}/components/${KEDA_COMPONENT}/kustomization.yaml`,
          `${d}/components/${KEDA_COMPONENT}/scaledobject.yaml`,
          ...OVERLAYS.map((o) => ({ path: `${d}/overlays/${o}/${KEDA_OVERLAY_COMPONENT}/kustomization.yaml`, template: `${d}/overlays/__overlay__/keda/kustomization.yaml`, data: { overlay: o } })),
        ]
      : [];
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
