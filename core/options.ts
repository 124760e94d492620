/**
 * The one declaration of every option. It drives the CLI flags, the prompts, `--help`,
 * the `.yo-rc.json` keys and the option table in the docs: nothing else lists options.
 * Pure data plus pure functions, so it also runs in the browser.
 */
import { PYTHON_VERSIONS, DJANGO_VERSIONS } from './versions.js';

export interface Choice {
  value: string;
  /** What the prompt and --help show. */
  label: string;
  /** The plain name prose uses (README, factor table), when it differs from the label. */
  title?: string;
}

/** What the user answers. Keys are the `.yo-rc.json` keys. */
export interface Answers {
  projectName: string;
  description: string;
  authorName: string;
  authorEmail: string;
  python: string;
  django: string;
  database: 'postgres' | 'mysql' | 'sqlite';
  cache: 'redis' | 'memcached' | 'none';
  celery: boolean;
  /** Only when `celery`. */
  beat?: boolean;
  /** Only when `celery`. */
  broker?: 'redis' | 'rabbitmq';
  server: 'gunicorn' | 'uvicorn' | 'granian';
  whitenoise: boolean;
  kubernetes: boolean;
}

export type AnswerName = keyof Answers;

interface OptionBase<N extends AnswerName> {
  name: N;
  /** The CLI flag, without dashes. */
  flag: string;
  /** One line for `--help` and the docs. */
  description: string;
  /** The question asked interactively. */
  message: string;
  /** The option only exists when this holds (e.g. `beat` only with Celery). */
  when?: (answers: Partial<Answers>) => boolean;
  /** Why `when` failed, for the error when the flag is given anyway. */
  whenText?: string;
}

export interface ChoiceOption<N extends AnswerName> extends OptionBase<N> {
  kind: 'choice';
  choices: readonly Choice[];
  default: (answers: Partial<Answers>) => string;
}

export interface TextOption<N extends AnswerName> extends OptionBase<N> {
  kind: 'text';
  default: (answers: Partial<Answers>) => string | undefined;
  /** Returns an error text, or undefined when the value is fine. */
  validate?: (value: string) => string | undefined;
}

export interface BooleanOption<N extends AnswerName> extends OptionBase<N> {
  kind: 'boolean';
  default: (answers: Partial<Answers>) => boolean;
}

export type AnswerOption =
  | ChoiceOption<AnswerName>
  | TextOption<AnswerName>
  | BooleanOption<AnswerName>;

const withCelery = (a: Partial<Answers>) => a.celery === true;

/** In the order they are asked. `projectName` is the positional argument. */
export const ANSWER_OPTIONS: readonly AnswerOption[] = [
  {
    name: 'projectName',
    kind: 'text',
    flag: 'project-name',
    description: 'Project name, shown in the README; the Python package and the directory derive from it (My Shop: package my_shop in my-shop/)',
    message: 'Project name',
    default: () => undefined,
  },
  {
    name: 'description',
    kind: 'text',
    flag: 'description',
    description: 'One-line description for pyproject.toml and the README',
    message: 'Description',
    default: () => 'A twelve-factor Django project',
  },
  {
    name: 'authorName',
    kind: 'text',
    flag: 'author-name',
    description: 'Author name for pyproject.toml',
    message: 'Author name',
    default: () => '',
  },
  {
    name: 'authorEmail',
    kind: 'text',
    flag: 'author-email',
    description: 'Author email for pyproject.toml',
    message: 'Author email',
    default: () => '',
    validate: (v) => (v === '' || /^[^\s@]+@[^\s@]+$/.test(v) ? undefined : 'must look like name@example.com or be empty'),
  },
  {
    name: 'python',
    kind: 'choice',
    flag: 'python',
    description: 'Python version (Dockerfile, .python-version, requires-python)',
    message: 'Python version',
    choices: PYTHON_VERSIONS.map((v) => ({ value: v, label: `Python ${v}` })),
    default: () => '3.13',
  },
  {
    name: 'django',
    kind: 'choice',
    flag: 'django',
    description: 'Django version',
    message: 'Django version',
    choices: DJANGO_VERSIONS.map((d) => ({ value: d.version, label: d.label })),
    default: () => '5.2',
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
    default: () => 'postgres',
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
    default: () => 'redis',
  },
  {
    name: 'celery',
    kind: 'boolean',
    flag: 'celery',
    description: 'Background tasks with Celery',
    message: 'Add Celery for background tasks?',
    default: () => false,
  },
  {
    name: 'beat',
    kind: 'boolean',
    flag: 'beat',
    description: 'Periodic tasks with Celery beat',
    message: 'Add Celery beat for periodic tasks?',
    when: withCelery,
    whenText: 'only with --celery',
    default: () => true,
  },
  {
    name: 'broker',
    kind: 'choice',
    flag: 'broker',
    description: 'Celery broker',
    message: 'Celery broker',
    when: withCelery,
    whenText: 'only with --celery',
    choices: [
      { value: 'redis', label: 'Redis' },
      { value: 'rabbitmq', label: 'RabbitMQ' },
    ],
    default: () => 'redis',
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
    default: () => 'gunicorn',
  },
  {
    name: 'whitenoise',
    kind: 'boolean',
    flag: 'whitenoise',
    description: 'Serve static files from the app with WhiteNoise',
    message: 'Serve static files with WhiteNoise?',
    default: () => true,
  },
  {
    name: 'kubernetes',
    kind: 'boolean',
    flag: 'kubernetes',
    description: 'Kubernetes manifests: a Kustomize base with staging and production overlays',
    message: 'Add Kubernetes manifests (Kustomize base and overlays)?',
    default: () => false,
  },
];

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

/** The prose name of an answer's choice: `choiceTitle('database', 'mysql')` is `MySQL/MariaDB`. */
export function choiceTitle(name: AnswerName, value: string): string {
  const option = optionByName(name);
  const choice = option.kind === 'choice' ? option.choices.find((c) => c.value === value) : undefined;
  if (!choice) throw new Error(`${name} has no choice ${value}`);
  return choice.title ?? choice.label;
}

/** `--database <postgres|mysql|sqlite>`, `--[no-]celery`: how an option is written on the command line. */
export function flagUsage(option: AnswerOption): string {
  if (option.kind === 'boolean') return `--${option.flag} / --no-${option.flag}`;
  if (option.kind === 'choice') return `--${option.flag} <${option.choices.map((c) => c.value).join('|')}>`;
  return `--${option.flag} <text>`;
}
