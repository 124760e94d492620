/**
 * The schema: the one declaration of every option. It drives the CLI flags and the positional argument, the
 * prompts, `--help`, the `.yo-rc.json` keys, the option table in the docs, the preview's form and the e2e
 * combinations; the `Answers` type is derived from it. Rules between answers (an option that only exists with
 * another, a value that needs another answer) are fields of the declaration, read by every one of those.
 * Pure data plus pure functions, so it also runs in the browser.
 */
import { DJANGO_VERSIONS, PYTHON_VERSIONS, compareVersions } from './versions.js';

export type Value = string | boolean;

/**
 * Earlier answers, each one of the listed values: `{ celery: [true] }`, `{ database: ['postgres', 'mysql'] }`.
 * A condition may only name options declared before the one that carries it, so answers resolve in order.
 */
export type Condition = Readonly<Record<string, readonly Value[]>>;

/** A value of an option that needs other answers: `--kubernetes` needs a database server. */
export interface ValueRule {
  value: Value;
  needs: Condition;
  /** Why, in a few words (the error line and the prompt say it). */
  because: string;
}

export interface Choice {
  value: string;
  /** What the prompt and --help show. */
  label: string;
  /** The plain name prose uses (README, factor table), when it differs from the label. */
  title?: string;
}

interface OptionDeclaration {
  /** The answer's key in `Answers` and `.yo-rc.json`. */
  name: string;
  /** The CLI flag, without dashes (the positional argument has one too: its query key in share links). */
  flag: string;
  /** One line for `--help` and the docs. */
  description: string;
  /** The question asked interactively. */
  message: string;
  /** The option only exists when these earlier answers hold (`beat` only with Celery). */
  when?: Condition;
  /** Values that need other answers. */
  rules?: readonly ValueRule[];
}

interface ChoiceDeclaration extends OptionDeclaration {
  kind: 'choice';
  choices: readonly Choice[];
  default: string;
}

interface BooleanDeclaration extends OptionDeclaration {
  kind: 'boolean';
  default: boolean;
}

interface TextDeclaration extends OptionDeclaration {
  kind: 'text';
  /** Undefined: no default, the answer must be given (or asked). */
  default: string | undefined;
  /** Returns an error text, or undefined when the value is fine. */
  validate?: (value: string) => string | undefined;
  /** The command's positional argument instead of a flag: how errors name it and what it allows. */
  positional?: { label: string; allowed: string; missing: string };
}

type Declaration = ChoiceDeclaration | BooleanDeclaration | TextDeclaration;

const withCelery = { celery: [true] } as const;

/** Python versions a Django release supports, among the ones offered. */
const pythonsFor = (minPython: string) => PYTHON_VERSIONS.filter((p) => compareVersions(p, minPython) >= 0);

/** In the order they are asked; a condition names only options above it. */
const DECLARATIONS = [
  {
    name: 'projectName',
    kind: 'text',
    flag: 'name',
    description: 'Project name, shown in the README; the Python package and the directory derive from it (My Shop: package my_shop in my-shop/)',
    message: 'Project name',
    default: undefined,
    positional: {
      label: 'project name',
      allowed: 'use letters, digits, "-" or "_", starting with a letter',
      missing: 'give it as the first argument, e.g. `yo twelve-django my-site`',
    },
  },
  {
    name: 'description',
    kind: 'text',
    flag: 'description',
    description: 'One-line description for pyproject.toml and the README',
    message: 'Description',
    default: 'A twelve-factor Django project',
  },
  {
    name: 'authorName',
    kind: 'text',
    flag: 'author-name',
    description: 'Author name for pyproject.toml',
    message: 'Author name',
    default: '',
  },
  {
    name: 'authorEmail',
    kind: 'text',
    flag: 'author-email',
    description: 'Author email for pyproject.toml',
    message: 'Author email',
    default: '',
    validate: (v: string) => (v === '' || /^[^\s@]+@[^\s@]+$/.test(v) ? undefined : 'must look like name@example.com or be empty'),
  },
  {
    name: 'python',
    kind: 'choice',
    flag: 'python',
    description: 'Python version (Dockerfile, .python-version, requires-python)',
    message: 'Python version',
    choices: PYTHON_VERSIONS.map((v) => ({ value: v, label: `Python ${v}` })),
    default: '3.13',
  },
  {
    name: 'django',
    kind: 'choice',
    flag: 'django',
    description: 'Django version',
    message: 'Django version',
    choices: DJANGO_VERSIONS.map((d) => ({ value: d.version, label: d.label })),
    default: '5.2',
    rules: DJANGO_VERSIONS.filter((d) => pythonsFor(d.minPython).length < PYTHON_VERSIONS.length).map((d) => ({
      value: d.version,
      needs: { python: pythonsFor(d.minPython) },
      because: `Django ${d.version} supports Python ${d.minPython} and newer`,
    })),
  },
  {
    name: 'database',
    kind: 'choice',
    flag: 'database',
    description: 'Database behind DATABASE_URL',
    message: 'Database',
    choices: [
      { value: 'postgres', label: 'PostgreSQL' },
      { value: 'mysql', label: 'MySQL / MariaDB', title: 'MySQL/MariaDB' },
      { value: 'sqlite', label: 'SQLite (single machine only)', title: 'SQLite' },
    ],
    default: 'postgres',
  },
  {
    name: 'cache',
    kind: 'choice',
    flag: 'cache',
    description: 'Cache backend (sessions live in the database either way)',
    message: 'Cache',
    choices: [
      { value: 'redis', label: 'Redis (REDIS_URL)', title: 'Redis' },
      { value: 'memcached', label: 'Memcached (CACHE_URL)', title: 'Memcached' },
      { value: 'none', label: 'None (local memory per process)', title: 'local memory' },
    ],
    default: 'redis',
  },
  {
    name: 'celery',
    kind: 'boolean',
    flag: 'celery',
    description: 'Background tasks with Celery',
    message: 'Add Celery for background tasks?',
    default: false,
  },
  {
    name: 'beat',
    kind: 'boolean',
    flag: 'beat',
    description: 'Periodic tasks with Celery beat',
    message: 'Add Celery beat for periodic tasks?',
    when: withCelery,
    default: true,
  },
  {
    name: 'broker',
    kind: 'choice',
    flag: 'broker',
    description: 'Celery broker',
    message: 'Celery broker',
    when: withCelery,
    choices: [
      { value: 'redis', label: 'Redis' },
      { value: 'rabbitmq', label: 'RabbitMQ' },
    ],
    default: 'redis',
  },
  {
    name: 'server',
    kind: 'choice',
    flag: 'server',
    description: 'Application server',
    message: 'Application server',
    choices: [
      { value: 'gunicorn', label: 'gunicorn (WSGI, threaded workers)', title: 'gunicorn' },
      { value: 'uvicorn', label: 'uvicorn (ASGI, gunicorn with the uvicorn worker)', title: 'uvicorn' },
      { value: 'granian', label: 'granian (WSGI, Rust HTTP server)', title: 'granian' },
    ],
    default: 'gunicorn',
  },
  {
    name: 'whitenoise',
    kind: 'boolean',
    flag: 'whitenoise',
    description: 'Serve static files from the app with WhiteNoise',
    message: 'Serve static files with WhiteNoise?',
    default: true,
  },
  {
    name: 'kubernetes',
    kind: 'boolean',
    flag: 'kubernetes',
    description: 'Kubernetes manifests: a Kustomize base with staging and production overlays',
    message: 'Add Kubernetes manifests (Kustomize base and overlays)?',
    default: false,
    rules: [
      {
        value: true,
        needs: { database: ['postgres', 'mysql'] },
        // One SQLite file cannot be shared by web replicas, the worker and the release Job on other nodes.
        because: 'SQLite is one file on one machine, and pods run on several',
      },
    ],
  },
] as const satisfies readonly Declaration[];

type Declared = (typeof DECLARATIONS)[number];
type ValueOf<D> = D extends { kind: 'boolean' }
  ? boolean
  : D extends { kind: 'choice'; choices: readonly (infer C)[] }
    ? C extends { value: infer V }
      ? V
      : never
    : string;
type Always = Exclude<Declared, { when: Condition }>;
type Sometimes = Extract<Declared, { when: Condition }>;

/** What the user answers, derived from the declarations. Keys are the `.yo-rc.json` keys. */
export type Answers = { [D in Always as D['name']]: ValueOf<D> } & { [D in Sometimes as D['name']]?: ValueOf<D> };

export type AnswerName = Declared['name'];

/** One declared option, as code that iterates them sees it. */
export type AnswerOption = Declaration & { name: AnswerName };
export type ChoiceOption = ChoiceDeclaration & { name: AnswerName };
export type TextOption = TextDeclaration & { name: AnswerName };
export type BooleanOption = BooleanDeclaration & { name: AnswerName };

export const ANSWER_OPTIONS: readonly AnswerOption[] = DECLARATIONS;

/** Options that steer one run and are never stored. */
export interface RunOption {
  name: 'yes' | 'skipInstall' | 'skipGit';
  flag: string;
  description: string;
}

export const RUN_OPTIONS: readonly RunOption[] = [
  { name: 'yes', flag: 'yes', description: 'Take the default for every question not given as a flag' },
  { name: 'skipInstall', flag: 'skip-install', description: 'Do not run `uv lock` / `uv sync`' },
  { name: 'skipGit', flag: 'skip-git', description: 'Do not `git init` and make the first commit' },
];

export function optionByName(name: AnswerName): AnswerOption {
  const option = ANSWER_OPTIONS.find((o) => o.name === name);
  if (!option) throw new Error(`no option ${name}`);
  return option;
}

/** The positional argument's option (the project name). */
export const POSITIONAL = ANSWER_OPTIONS.find((o): o is TextOption => o.kind === 'text' && o.positional !== undefined)!;

/** The prose name of an answer's choice: `choiceTitle('database', 'mysql')` is `MySQL/MariaDB`. */
export function choiceTitle(name: AnswerName, value: string): string {
  const option = optionByName(name);
  const choice = option.kind === 'choice' ? option.choices.find((c) => c.value === value) : undefined;
  if (!choice) throw new Error(`${name} has no choice ${value}`);
  return choice.title ?? choice.label;
}

/** `--database <postgres|mysql|sqlite>`, `--celery / --no-celery`: how an option is written on the command line. */
export function flagUsage(option: AnswerOption): string {
  if (option.kind === 'text' && option.positional) return `the ${option.positional.label}`;
  if (option.kind === 'boolean') return `--${option.flag} / --no-${option.flag}`;
  if (option.kind === 'choice') return `--${option.flag} <${option.choices.map((c) => c.value).join('|')}>`;
  return `--${option.flag} <text>`;
}

/** One value as a flag: `--celery`, `--no-celery`, `--database sqlite`. */
export function valueFlag(option: AnswerOption, value: Value): string {
  if (option.kind === 'boolean') return value ? `--${option.flag}` : `--no-${option.flag}`;
  return `--${option.flag} ${String(value)}`;
}

/** A condition as flags: `--celery`, `--database postgres or mysql`. */
export function conditionText(condition: Condition): string {
  return Object.entries(condition)
    .map(([name, values]) => {
      const option = optionByName(name as AnswerName);
      if (option.kind === 'boolean' && values.length === 1) return valueFlag(option, values[0]!);
      return `--${option.flag} ${orList(values.map(String))}`;
    })
    .join(' and ');
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Why an option may be missing: `only with --celery`. */
export function whenText(option: AnswerOption): string | undefined {
  return option.when ? `only with ${conditionText(option.when)}` : undefined;
}

/** Whether the answers given so far meet a condition (an answer not given yet does not). */
export function holds(condition: Condition, answers: Partial<Record<string, unknown>>): boolean {
  return Object.entries(condition).every(([name, values]) => values.includes(answers[name] as Value));
}

/** Every value an option can take (booleans: true and false). */
export function optionValues(option: AnswerOption): Value[] {
  if (option.kind === 'boolean') return [true, false];
  if (option.kind === 'choice') return option.choices.map((c) => c.value);
  return [];
}
