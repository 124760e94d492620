/**
 * What a feature is: mostly data about what it adds to the project. The model folds every
 * applicable feature's contribution together; cross-cutting files iterate the model.
 */
import type { AnswerName, Answers } from './options.js';
import type { APP_USER, PROBES, SettingsModule } from './runtime.js';
import type { TIMEOUTS } from './timeouts.js';

export const FACTORS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;
export type Factor = (typeof FACTORS)[number];

/**
 * What a variable accepts. The generated project checks every value against it when it starts
 * (config/env.py: one line naming the variable and what is allowed, never a traceback), and
 * `.env.example` says it: one declaration for both.
 */
export type EnvKind =
  | { type: 'text' }
  | { type: 'bool' }
  | { type: 'int'; min: number; max?: number }
  | { type: 'choice'; values: readonly string[] }
  /** Comma-separated values. */
  | { type: 'list' }
  /** Comma-separated origins, each with its scheme: https://example.com. */
  | { type: 'origins' }
  /** A URL whose scheme is one of these (the drivers and backends the project has). */
  | { type: 'url'; schemes: readonly string[] }
  /** A URL path: letters, digits, `-`, `_` and `/`, ending with `/`, no leading `/`. */
  | { type: 'path' };

/** The factors' names, as 12factor.net gives them (the generated README and the docs show them). */
export const FACTOR_NAMES: Readonly<Record<Factor, string>> = {
  I: 'Codebase',
  II: 'Dependencies',
  III: 'Config',
  IV: 'Backing services',
  V: 'Build, release, run',
  VI: 'Processes',
  VII: 'Port binding',
  VIII: 'Concurrency',
  IX: 'Disposability',
  X: 'Dev/prod parity',
  XI: 'Logs',
  XII: 'Admin processes',
};

export interface EnvVar {
  name: string;
  /** What values it accepts. */
  kind: EnvKind;
  /** What `.env.example` shows. */
  example: string;
  /** The value in the local, git-ignored `.env`; defaults to `example`. */
  local?: string;
  /** What it is for (the comment in `.env.example`). */
  description: string;
  factor: Factor;
  /** Production refuses to start without it. */
  required?: boolean;
  secret?: boolean;
  /** The local `.env` gets a fresh random value (the only thing not a pure function of the answers). */
  generated?: boolean;
  /** The value apps get inside docker compose, where services are reached by name. */
  compose?: string;
  /**
   * A harmless placeholder the image build gives it: build-time steps (collectstatic) load production
   * settings, which refuse to start without the required variables. Nothing connects to it, and it never
   * reaches the runtime image. Every required variable declares one (the model checks); shell-safe text.
   */
  buildTime?: string;
  /** The value in the generated CI workflow, where services listen on 127.0.0.1; defaults to `local`. */
  ci?: string;
}

export interface Requirement {
  /** A PEP 508 requirement with a lower bound. */
  spec: string;
  group?: 'dev';
}

export interface Process {
  name: string;
  /** argv: the Procfile joins it, the Dockerfile and compose use it as exec form. */
  command: readonly string[];
  description: string;
  /** Runs once per deploy and exits (compose runs it before web). */
  oneOff?: boolean;
  /** Publishes $PORT. */
  web?: boolean;
  /**
   * Seconds between SIGTERM and SIGKILL that this process needs to finish by itself (its own graceful
   * timeout plus a margin): compose's stop_grace_period, Kubernetes' grace period after preStop.
   * One-off processes run to completion and have none.
   */
  stopSeconds?: number;
  /** Exactly one may run at a time (Celery beat): never scaled, never two during a rollout. */
  singleton?: boolean;
  /** The env var that sets how many worker processes it forks; Kubernetes sets it from the CPU request. */
  concurrencyEnv?: string;
  /** The broker queue it consumes and the env var naming the broker: Kubernetes scales it on the queue's length. */
  queue?: { name: string; brokerUrlEnv: string };
}

export interface HealthCheck {
  test: readonly string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  startPeriod?: string;
}

export interface Service {
  /** Compose service name, also the host name apps reach it on. */
  name: string;
  image: string;
  environment?: Readonly<Record<string, string>>;
  healthcheck: HealthCheck;
  /** Named volume mounted at this path. */
  volumePath?: string;
  /** Port published on 127.0.0.1 so a local `uv run honcho start` reaches the same service. */
  port: number;
  /**
   * The environment of a throwaway CI instance, when it differs: tests create and drop their own
   * database, which needs more rights than the app's user has.
   */
  ciEnvironment?: Readonly<Record<string, string>>;
}

export interface Middleware {
  path: string;
  /** Placed right after this entry (or first when `first`). */
  after?: string;
  first?: boolean;
}

export interface FactorNote {
  factor: Factor;
  text: string;
  files: readonly string[];
}

/** A settings fragment: a partial template included into one settings module. */
export interface SettingsPartial {
  module: Exclude<SettingsModule, 'development'>;
  template: string;
  /** Values the partial reads as `p.<name>`. */
  data?: Readonly<Record<string, string>>;
}

/**
 * Which processes write a directory: the names of those that do (a name no process has is ignored), or every
 * process when absent. Kubernetes mounts it only in their pods, and sizes a claim's access mode by them.
 */
export interface WrittenBy {
  processes?: readonly string[];
}

/** State that outlives the process: a named volume in compose, a claim on Kubernetes. */
export interface AppVolume extends WrittenBy {
  name: string;
  path: string;
}

/** Scratch space that need not outlive the process. */
export interface WritablePath extends WrittenBy {
  path: string;
  why: string;
}

/** Does this process write there? */
export const writtenBy = (w: WrittenBy, process: string): boolean => !w.processes || w.processes.includes(process);

export interface Contribution {
  /**
   * Output paths (templates/<path>.ejs), `__slug__` standing for the project package; or one template rendered to
   * several paths, each with its own data (`m.f.<name>` in the template): an overlay per environment.
   */
  files?: readonly (string | { path: string; template: string; data: Readonly<Record<string, string>> })[];
  requirements?: readonly Requirement[];
  env?: readonly EnvVar[];
  processes?: readonly Process[];
  services?: readonly Service[];
  installedApps?: readonly string[];
  middleware?: readonly Middleware[];
  settings?: readonly SettingsPartial[];
  /** Loggers (besides Django's) whose own handlers are dropped so they go to the one stdout stream. */
  loggers?: readonly string[];
  /** Lines in `config/__init__.py` (loaded with Django). */
  configImports?: readonly string[];
  /** Debian packages the image's build stage needs (compilers, headers). */
  buildPackages?: readonly string[];
  /** Debian packages the runtime image needs (shared libraries). */
  runtimePackages?: readonly string[];
  /** Directories app processes write to, owned by the app user in the image and on a named volume in compose. */
  appVolumes?: readonly AppVolume[];
  /** Local files that hold secrets or state: git and the image build both ignore them. */
  ignored?: readonly string[];
  /** Scratch directories processes write to that need not outlive the process (Kubernetes: emptyDir on a read-only root). */
  writablePaths?: readonly WritablePath[];
  /**
   * Database connections one instance of a process may hold at once, as a product of environment
   * variables (the generated README's connection budget).
   */
  connections?: readonly { process: string; count: readonly string[] }[];
  /** The database server's default connection limit, for the budget. */
  connectionLimit?: { setting: string; value: number };
  /** Commands run at image build time, after dependencies and code are in. */
  buildSteps?: readonly { comment: string; run: string }[];
  factors?: readonly FactorNote[];
  /** Paragraphs the generated README shows under "Configuration" for this feature. */
  readme?: readonly string[];
  /** Partial templates the generated README includes as sections of their own, after "Release and administer". */
  readmeSections?: readonly string[];
  /**
   * Local files and directories processes write next to the code (a development database, collected static
   * files, uploads): never committed, never copied into the image (`.gitignore` and `.dockerignore` both list them).
   */
  localState?: readonly string[];
  /** A few words for the generated README's one-line description of the project ("Redis cache"), in feature order. */
  summary?: string;
  /** Content-Security-Policy sources per directive (`'self'`, an origin); every feature's are merged in order. */
  csp?: Readonly<Record<string, readonly string[]>>;
  /** Facts this feature owns that outputs read (`m.<name>`): declared by the feature's module on `ModelFacts`. */
  facts?: Partial<ModelFacts>;
}

export interface Feature {
  id: string;
  applies: (a: Answers) => boolean;
  contribute: (a: Answers, slug: string) => Contribution;
  /**
   * Facts derived from the whole folded model, after every feature contributed (the Kubernetes plan reads the
   * processes, env contract and volumes). Runs in the features' order; a later one sees the earlier one's facts.
   */
  derive?: (model: Model) => Partial<ModelFacts>;
}

/**
 * Facts single features own, one field each. A feature's module declares its own here, so the model carries
 * them without naming the feature:
 *
 *   declare module '../feature.js' { interface ModelFacts { kubernetes?: KubernetesPlan } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModelFacts {}

/** The project model: every applicable feature's contribution folded together. What templates see (`m`). */
export interface Model extends ModelFacts {
  answers: Answers;
  slug: string;
  /** The slug as a DNS-1123 label (`my_site` -> `my-site`): compose project, image and Kubernetes names. */
  dnsName: string;
  /** The project's AppConfig class name. */
  appConfig: string;
  /** Dotted paths of the settings modules (`config.settings.production`). */
  settingsModules: Readonly<Record<SettingsModule, string>>;
  features: string[];
  /** Output path -> template path (relative to templates/). */
  files: Map<string, string>;
  /** Output path -> the data its template reads as `m.f` (for templates rendered to several paths). */
  fileData: Map<string, Readonly<Record<string, string>>>;
  /** Output path -> id of the feature that contributes it (the docs preview shows it). */
  fileFeatures: Map<string, string>;
  requirements: { main: string[]; dev: string[] };
  env: EnvVar[];
  processes: Process[];
  web: Process;
  /** Backing services, each health check complete (the shared defaults filled in). */
  services: (Service & { healthcheck: Required<Omit<HealthCheck, 'startPeriod'>> & HealthCheck })[];
  installedApps: string[];
  middleware: string[];
  settings: Record<SettingsPartial['module'], SettingsPartial[]>;
  configImports: string[];
  loggers: string[];
  buildPackages: string[];
  runtimePackages: string[];
  buildSteps: { comment: string; run: string }[];
  /** What build-time steps run with: every variable that declares a build-time placeholder. */
  buildEnv: { name: string; value: string }[];
  /** Declared by several features, a volume is one entry; its processes are all theirs. */
  appVolumes: AppVolume[];
  /** Every declaration, in feature order: a path may appear more than once, each time with its own reason. */
  writablePaths: WritablePath[];
  /** Deploy secrets files git and the image build ignore. */
  ignored: string[];
  /** Local state next to the code: git and the image build ignore it. */
  localState: string[];
  /** The README's one-line description: each feature's few words, in feature order. */
  summary: string[];
  /** Content-Security-Policy: sources per directive, in the order features added them. */
  csp: Record<string, string[]>;
  /** README partials (template paths) for sections of their own. */
  readmeSections: string[];
  /** The processes' unprivileged user: the Dockerfile creates it, Kubernetes' runAsUser names it. */
  appUser: typeof APP_USER;
  /** Liveness and readiness probe paths (the health middleware answers them, the Dockerfile and Kubernetes probe them). */
  probes: typeof PROBES;
  /** Database connections each process may hold, and the server's default limit. */
  connections: { process: string; count: readonly string[] }[];
  connectionLimit?: { setting: string; value: number };
  /** Paragraphs for the generated README's configuration section. */
  readme: string[];
  factors: { factor: Factor; name: string; notes: FactorNote[] }[];
  images: { uv: string; python: string };
  /** Prose names of the chosen value of every choice answer (from the option declarations). */
  titles: Partial<Record<AnswerName, string>>;
  /** `py313`, for ruff's target-version. */
  pythonTarget: string;
  /** Shared timeouts (seconds): server drain, task limits, stop margins. */
  timeouts: typeof TIMEOUTS;
}
