/**
 * What a feature is: mostly data about what it adds to the project. The model folds every
 * applicable feature's contribution together; cross-cutting files iterate the model.
 */
import type { Answers } from './options.js';

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
  module: 'base' | 'production' | 'test';
  template: string;
  /** Values the partial reads as `p.<name>`. */
  data?: Readonly<Record<string, string>>;
}

export interface Contribution {
  /** Output paths (templates/<path>.ejs), `__slug__` standing for the project package. */
  files?: readonly string[];
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
  appVolumes?: readonly { name: string; path: string }[];
  /** Local files that hold secrets or state: git and the image build both ignore them. */
  ignored?: readonly string[];
  /** Scratch directories processes write to that need not outlive the process (Kubernetes: emptyDir on a read-only root). */
  writablePaths?: readonly { path: string; why: string }[];
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
}

export interface Feature {
  id: string;
  applies: (a: Answers) => boolean;
  contribute: (a: Answers, slug: string) => Contribution;
}
