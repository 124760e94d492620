/**
 * render(answers) -> files. The heart of the package: pure, deterministic, no file system,
 * so the generator, the subgenerators, the tests and the docs preview all share it.
 */
import ejs from 'ejs';
import { buildModel, type Model } from './model.js';
import type { Answers } from './options.js';
import { storedAnswers } from './answers.js';
import { allowedText } from './env-kinds.js';
import { GENERATOR_VERSION } from './version.js';

/** Template path (relative to templates/, with `.ejs`) -> template text. */
export type Templates = Readonly<Record<string, string>>;

export const LOCAL_ENV_TEMPLATE = '.env.ejs';

/** The `.yo-rc.json` key: the package name, as Yeoman expects. */
export const STORAGE_KEY = 'generator-twelve-django';

/** Every project file but the local `.env`, sorted by path. */
export function render(answers: Answers, templates: Templates): Map<string, string> {
  const model = buildModel(answers);
  const out = new Map<string, string>();
  for (const [path, template] of [...model.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.set(path, renderTemplate(template, model, templates, model.fileData.get(path)));
  }
  // The answers and the version that wrote the project, so later runs, subgenerators and `update` know what it
  // wrote (part of the tree, merged like any file).
  const stored = { version: GENERATOR_VERSION, ...storedAnswers(answers) };
  out.set('.yo-rc.json', `${JSON.stringify({ [STORAGE_KEY]: stored }, null, 2)}\n`);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The git-ignored local `.env`: the same variables with local values and a fresh secret. */
export function renderLocalEnv(answers: Answers, templates: Templates, secret: string): string {
  return renderTemplate(LOCAL_ENV_TEMPLATE, { ...buildModel(answers), secret }, templates);
}

/** `file`: the data of this output path, for a template rendered to several (`m.f`). */
export function renderTemplate(name: string, model: Model | (Model & { secret: string }), templates: Templates, file: Readonly<Record<string, string>> = {}): string {
  const text = templates[name];
  if (text === undefined) throw new Error(`template ${name} is missing`);
  const helpers = { f: file, q: pyString, pyList, toml: tomlString, yaml: yamlString, allowedText, example: (variable: string) => envExample(model, variable) };
  try {
    return ejs.render(
      text,
      { ...model, ...helpers },
      {
        localsName: 'm',
        _with: false,
        strict: true,
        // No `filename`: with one, ejs looks for every include on disk (fs.existsSync) before asking the
        // includer. Includes are template paths, resolved from the map alone, so the core never touches a disk.
        includer: (path: string) => {
          const included = templates[path];
          if (included === undefined) throw new Error(`${name} includes ${path}, which is missing`);
          return { template: included };
        },
      },
    ) as string;
  } catch (error) {
    throw new Error(`rendering ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** The example value of one of the model's env vars: the default a template writes where code reads it. */
function envExample(model: Model, variable: string): string {
  const found = model.env.find((v) => v.name === variable);
  if (!found) throw new Error(`no env var ${variable} in the model`);
  return found.example;
}

/** A Python string literal in double quotes (ruff's preferred style). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/**
 * `<indent><key>: [<items>],` as ruff format writes it: on one line when it fits in 88 columns, otherwise one item
 * per line with a trailing comma. Items are Python literals already.
 */
export function pyList(indent: string, key: string, items: readonly string[]): string {
  const line = `${indent}${key}: [${items.join(', ')}],`;
  if (line.length <= 88 || items.length === 0) return line;
  return [`${indent}${key}: [`, ...items.map((i) => `${indent}    ${i},`), `${indent}],`].join('\n');
}

/** A TOML basic string. */
export function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** A YAML scalar, quoted when plain would be misread. */
export function yamlString(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) && !/^(true|false|yes|no|on|off|null|~|\d[\d.]*)$/i.test(value)
    ? value
    : JSON.stringify(value);
}
