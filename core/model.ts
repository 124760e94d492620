/**
 * Fold the answers through every applicable feature into one project model: what templates see. Names no
 * feature: each contributes data (core/feature.ts) and, through `derive`, facts computed from the folded model.
 */
import { ANSWER_OPTIONS, choiceTitle, type AnswerName, type Answers } from './options.js';
import { FACTORS, FACTOR_NAMES, type EnvVar, type Feature, type Middleware, type Model, type Process, type WrittenBy } from './feature.js';
import { FEATURES } from './features/index.js';
import { APP_USER, PROBES, SERVICE_HEALTHCHECK, SETTINGS_MODULES, SETTINGS_PACKAGE } from './runtime.js';
import { dnsName, pascal, toSlug } from './slug.js';
import { IMAGES } from './versions.js';
import { TIMEOUTS } from './timeouts.js';

export type { Model } from './feature.js';

export function buildModel(answers: Answers, features: readonly Feature[] = FEATURES): Model {
  const slug = toSlug(answers.projectName);
  const model: Omit<Model, 'web'> & { web?: Process } = {
    answers,
    slug,
    dnsName: dnsName(slug),
    appConfig: `${pascal(slug)}Config`,
    settingsModules: Object.fromEntries(SETTINGS_MODULES.map((m) => [m, `${SETTINGS_PACKAGE}.${m}`])) as Model['settingsModules'],
    features: [],
    files: new Map(),
    fileFeatures: new Map(),
    fileData: new Map(),
    requirements: { main: [], dev: [] },
    env: [],
    processes: [],
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
    localState: [],
    summary: [],
    csp: {},
    readmeSections: [],
    appUser: APP_USER,
    probes: PROBES,
    connections: [],
    readme: [],
    factors: FACTORS.map((factor) => ({ factor, name: FACTOR_NAMES[factor], notes: [] })),
    images: { uv: IMAGES.uv, python: IMAGES.python(answers.python) },
    pythonTarget: `py${answers.python.replace('.', '')}`,
    timeouts: TIMEOUTS,
    titles: titlesOf(answers),
  };
  const middleware: Middleware[] = [];
  const applied = features.filter((f) => f.applies(answers));

  for (const feature of applied) {
    model.features.push(feature.id);
    const c = feature.contribute(answers, slug);
    for (const file of c.files ?? []) {
      const { path, template, data } = typeof file === 'string' ? { path: file, template: file, data: undefined } : file;
      const out = path.replaceAll('__slug__', slug);
      if (model.files.has(out)) throw new Error(`${feature.id}: ${out} is contributed twice`);
      model.files.set(out, `${template}.ejs`);
      model.fileFeatures.set(out, feature.id);
      if (data) model.fileData.set(out, data);
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
      const full = { ...s, healthcheck: { ...SERVICE_HEALTHCHECK, ...s.healthcheck } };
      if (same && JSON.stringify(same) !== JSON.stringify(full)) throw new Error(`${feature.id}: service ${s.name} clashes`);
      if (!same) model.services.push(full);
    }
    model.processes.push(...(c.processes ?? []));
    model.installedApps.push(...(c.installedApps ?? []));
    middleware.push(...(c.middleware ?? []));
    for (const p of c.settings ?? []) model.settings[p.module].push(p);
    model.configImports.push(...(c.configImports ?? []));
    addNew(model.loggers, c.loggers);
    addNew(model.buildPackages, c.buildPackages);
    addNew(model.ignored, c.ignored);
    addNew(model.localState, c.localState);
    if (c.summary) model.summary.push(c.summary);
    addNew(model.readmeSections, c.readmeSections);
    addNew(model.runtimePackages, c.runtimePackages);
    model.buildSteps.push(...(c.buildSteps ?? []));
    for (const v of c.appVolumes ?? []) mergeWriters(model.appVolumes, v, (x) => x.name === v.name);
    // Each declaration stays, with its own reason: a path declared twice is mounted once, with the reasons of the
    // declarations that name the process (beat's schedule state is no concern of web's).
    model.writablePaths.push(...(c.writablePaths ?? []));
    model.connections.push(...(c.connections ?? []));
    if (c.connectionLimit) model.connectionLimit = c.connectionLimit;
    model.readme.push(...(c.readme ?? []));
    for (const note of c.factors ?? []) model.factors.find((f) => f.factor === note.factor)!.notes.push(note);
    for (const [directive, sources] of Object.entries(c.csp ?? {})) addNew((model.csp[directive] ??= []), sources);
    addFacts(model, c.facts, feature.id);
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
  for (const p of model.processes) {
    if (!p.oneOff && p.stopSeconds === undefined) throw new Error(`process ${p.name} declares no stopSeconds`);
  }
  model.buildEnv = buildTimeEnv(model.env);
  const folded: Model = { ...model, web };
  for (const feature of applied) addFacts(folded, feature.derive?.(folded), feature.id);
  return folded;
}

/** A feature's own facts join the model; two features claiming one fact is a bug in one of them. */
function addFacts(model: object, facts: object | undefined, id: string): void {
  for (const [key, value] of Object.entries(facts ?? {})) {
    if (key in model) throw new Error(`${id}: the model already has ${key}`);
    (model as Record<string, unknown>)[key] = value;
  }
}

/** The prose name of every chosen value of a choice answer (`database: 'MySQL/MariaDB'`). */
function titlesOf(answers: Answers): Partial<Record<AnswerName, string>> {
  const out: Partial<Record<AnswerName, string>> = {};
  for (const option of ANSWER_OPTIONS) {
    const value = answers[option.name];
    if (option.kind === 'choice' && typeof value === 'string') out[option.name] = choiceTitle(option.name, value);
  }
  return out;
}

/** Build-time steps get exactly these; a required variable without a placeholder would stop the image build. */
export function buildTimeEnv(env: readonly EnvVar[]): { name: string; value: string }[] {
  for (const v of env) {
    if (v.required && v.buildTime === undefined) throw new Error(`${v.name} is required in production but declares no buildTime placeholder`);
    if (v.buildTime !== undefined && !/^[\w@%+=:,./-]+$/.test(v.buildTime)) throw new Error(`${v.name}: buildTime ${JSON.stringify(v.buildTime)} is not shell-safe`);
  }
  return env.filter((v) => v.buildTime !== undefined).map((v) => ({ name: v.name, value: v.buildTime! }));
}

/** The first declaration of a volume or path stays; the processes that write it are everyone's who declared it. */
function mergeWriters<T extends WrittenBy>(list: T[], item: T, same: (x: T) => boolean): void {
  const at = list.findIndex(same);
  if (at < 0) {
    list.push({ ...item, ...(item.processes ? { processes: [...item.processes] } : {}) });
    return;
  }
  const had = list[at]!;
  // Every process (no list) on either side means every process.
  const processes = had.processes && item.processes ? [...new Set([...had.processes, ...item.processes])] : undefined;
  const merged: T = { ...had, processes };
  if (!processes) delete merged.processes;
  list[at] = merged;
}

function addNew(list: string[], items: readonly string[] | undefined): void {
  for (const i of items ?? []) if (!list.includes(i)) list.push(i);
}

const rank = (p: Process) => (p.oneOff ? 0 : p.web ? 1 : 2);

/** Requirements sort by distribution name (`django` before `django-environ`). */
const distribution = (spec: string) => spec.split(/[<>=!~[;\s]/)[0]!.toLowerCase();
const byName = (a: string, b: string) => (distribution(a) < distribution(b) ? -1 : distribution(a) > distribution(b) ? 1 : 0);

/** Plain entries keep their order; `first` goes to the top; `after` goes right behind its anchor. */
function orderMiddleware(entries: readonly Middleware[]): string[] {
  const out = entries.filter((e) => !e.after && !e.first).map((e) => e.path);
  for (const e of entries.filter((x) => x.after)) {
    const at = out.indexOf(e.after!);
    if (at < 0) throw new Error(`middleware ${e.path} goes after ${e.after}, which is not there`);
    out.splice(at + 1, 0, e.path);
  }
  out.unshift(...entries.filter((e) => e.first).map((e) => e.path));
  return out;
}
