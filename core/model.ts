/** Fold the answers through every applicable feature into one project model: what templates see. */
import { choiceTitle, type Answers } from './options.js';
import { FACTORS, FACTOR_NAMES, type EnvVar, type Factor, type FactorNote, type Process, type Service, type SettingsPartial } from './feature.js';
import { FEATURES } from './features/index.js';
import { toSlug } from './slug.js';
import { ACTIONS, IMAGES } from './versions.js';
import { TIMEOUTS } from './timeouts.js';
import { pascal } from './features/project.js';
import { HSTS_START } from './features/security.js';
import { APP_USER } from './features/container.js';
import { HEALTH } from './features/health.js';
import { kubernetesPlan, type KubernetesPlan } from './features/kubernetes.js';

export interface Model {
  answers: Answers;
  slug: string;
  /** The project's AppConfig class name. */
  appConfig: string;
  features: string[];
  /** Output path -> template path (relative to templates/). */
  files: Map<string, string>;
  /** Output path -> id of the feature that contributes it (the docs preview shows it). */
  fileFeatures: Map<string, string>;
  requirements: { main: string[]; dev: string[] };
  env: EnvVar[];
  processes: Process[];
  web: Process;
  services: Service[];
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
  appVolumes: { name: string; path: string }[];
  writablePaths: { path: string; why: string }[];
  /** Feature-specific local files git and the image build ignore. */
  ignored: string[];
  /** README partials (template paths) for sections of their own. */
  readmeSections: string[];
  /** The image's unprivileged user: the Dockerfile creates it, Kubernetes' runAsUser names it. */
  appUser: typeof APP_USER;
  /** Liveness and readiness probe paths. */
  health: typeof HEALTH;
  /** What the Kubernetes manifests need, derived from the rest of the model. */
  kubernetes: KubernetesPlan;
  /** Database connections each process may hold, and the server's default limit. */
  connections: { process: string; count: readonly string[] }[];
  connectionLimit?: { setting: string; value: number };
  /** Paragraphs for the generated README's configuration section. */
  readme: string[];
  factors: { factor: Factor; name: string; notes: FactorNote[] }[];
  images: { uv: string; python: string };
  /** GitHub Actions the CI workflow uses. */
  actions: typeof ACTIONS;
  /** Prose names of the chosen database, cache, broker and server (from the option declarations). */
  titles: { database: string; cache: string; broker?: string; server: string };
  /** `py313`, for ruff's target-version. */
  pythonTarget: string;
  /** HSTS max-age a new deploy starts with (seconds). */
  hstsStart: number;
  /** Shared timeouts (seconds): server drain, task limits, stop margins. */
  timeouts: typeof TIMEOUTS;
}

export function buildModel(answers: Answers): Model {
  const slug = toSlug(answers.projectName);
  const model: Model = {
    answers,
    slug,
    appConfig: `${pascal(slug)}Config`,
    features: [],
    files: new Map(),
    fileFeatures: new Map(),
    requirements: { main: [], dev: [] },
    env: [],
    processes: [],
    web: undefined as unknown as Process,
    services: [],
    installedApps: [],
    middleware: [],
    settings: { base: [], production: [], test: [] },
    configImports: [],
    loggers: [],
    buildPackages: [],
    runtimePackages: [],
    buildSteps: [],
    buildEnv: [],
    appVolumes: [],
    writablePaths: [],
    ignored: [],
    readmeSections: [],
    appUser: APP_USER,
    health: HEALTH,
    kubernetes: undefined as unknown as KubernetesPlan,
    connections: [],
    readme: [],
    factors: FACTORS.map((factor) => ({ factor, name: FACTOR_NAMES[factor], notes: [] })),
    images: { uv: IMAGES.uv, python: IMAGES.python(answers.python) },
    actions: ACTIONS,
    pythonTarget: `py${answers.python.replace('.', '')}`,
    timeouts: TIMEOUTS,
    hstsStart: HSTS_START,
    titles: {
      database: choiceTitle('database', answers.database),
      cache: choiceTitle('cache', answers.cache),
      broker: answers.broker && choiceTitle('broker', answers.broker),
      server: choiceTitle('server', answers.server),
    },
  };
  const middleware: { path: string; after?: string; first?: boolean }[] = [];

  for (const feature of FEATURES) {
    if (!feature.applies(answers)) continue;
    model.features.push(feature.id);
    const c = feature.contribute(answers, slug);
    for (const file of c.files ?? []) {
      const out = file.replaceAll('__slug__', slug);
      if (model.files.has(out)) throw new Error(`${feature.id}: ${out} is contributed twice`);
      model.files.set(out, `${file}.ejs`);
      model.fileFeatures.set(out, feature.id);
    }
    for (const r of c.requirements ?? []) {
      const list = r.group === 'dev' ? model.requirements.dev : model.requirements.main;
      if (!list.includes(r.spec)) list.push(r.spec);
    }
    for (const v of c.env ?? []) {
      if (model.env.some((e) => e.name === v.name)) throw new Error(`${feature.id}: ${v.name} is declared twice`);
      model.env.push(v);
    }
    for (const s of c.services ?? []) {
      const same = model.services.find((x) => x.name === s.name);
      if (same && JSON.stringify(same) !== JSON.stringify(s)) throw new Error(`${feature.id}: service ${s.name} clashes`);
      if (!same) model.services.push(s);
    }
    model.processes.push(...(c.processes ?? []));
    model.installedApps.push(...(c.installedApps ?? []));
    middleware.push(...(c.middleware ?? []));
    for (const p of c.settings ?? []) model.settings[p.module].push(p);
    model.configImports.push(...(c.configImports ?? []));
    addNew(model.loggers, c.loggers);
    addNew(model.buildPackages, c.buildPackages);
    addNew(model.ignored, c.ignored);
    addNew(model.readmeSections, c.readmeSections);
    addNew(model.runtimePackages, c.runtimePackages);
    model.buildSteps.push(...(c.buildSteps ?? []));
    model.appVolumes.push(...(c.appVolumes ?? []));
    for (const w of c.writablePaths ?? []) if (!model.writablePaths.some((x) => x.path === w.path)) model.writablePaths.push(w);
    model.connections.push(...(c.connections ?? []));
    if (c.connectionLimit) model.connectionLimit = c.connectionLimit;
    model.readme.push(...(c.readme ?? []));
    for (const note of c.factors ?? []) model.factors.find((f) => f.factor === note.factor)!.notes.push(note);
  }

  model.middleware = orderMiddleware(middleware);
  model.requirements.main.sort(byName);
  model.requirements.dev.sort(byName);
  model.buildPackages.sort();
  model.runtimePackages.sort();
  // Processes in Procfile order: release first, web, then the rest as declared.
  model.processes.sort((a, b) => rank(a) - rank(b));
  const web = model.processes.find((p) => p.web);
  if (!web) throw new Error('no web process');
  model.web = web;
  for (const p of model.processes) {
    if (!p.oneOff && p.stopSeconds === undefined) throw new Error(`process ${p.name} declares no stopSeconds`);
  }
  model.buildEnv = buildTimeEnv(model.env);
  model.kubernetes = kubernetesPlan(model);
  return model;
}

/** Build-time steps get exactly these; a required variable without a placeholder would stop the image build. */
export function buildTimeEnv(env: readonly EnvVar[]): { name: string; value: string }[] {
  for (const v of env) {
    if (v.required && v.buildTime === undefined) throw new Error(`${v.name} is required in production but declares no buildTime placeholder`);
    if (v.buildTime !== undefined && !/^[\w@%+=:,./-]+$/.test(v.buildTime)) throw new Error(`${v.name}: buildTime ${JSON.stringify(v.buildTime)} is not shell-safe`);
  }
  return env.filter((v) => v.buildTime !== undefined).map((v) => ({ name: v.name, value: v.buildTime! }));
}

function addNew(list: string[], items: readonly string[] | undefined): void {
  for (const i of items ?? []) if (!list.includes(i)) list.push(i);
}

const rank = (p: Process) => (p.oneOff ? 0 : p.web ? 1 : 2);

/** Requirements sort by distribution name (`django` before `django-environ`). */
const distribution = (spec: string) => spec.split(/[<>=!~[;\s]/)[0]!.toLowerCase();
const byName = (a: string, b: string) => (distribution(a) < distribution(b) ? -1 : distribution(a) > distribution(b) ? 1 : 0);

/** Plain entries keep their order; `first` goes to the top; `after` goes right behind its anchor. */
function orderMiddleware(entries: { path: string; after?: string; first?: boolean }[]): string[] {
  const out = entries.filter((e) => !e.after && !e.first).map((e) => e.path);
  for (const e of entries.filter((x) => x.after)) {
    const at = out.indexOf(e.after!);
    if (at < 0) throw new Error(`middleware ${e.path} goes after ${e.after}, which is not there`);
    out.splice(at + 1, 0, e.path);
  }
  out.unshift(...entries.filter((e) => e.first).map((e) => e.path));
  return out;
}
