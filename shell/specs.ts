/**
 * What each generator is (create, change, update) and the command-line options it declares, without Yeoman:
 * the Yeoman classes declare exactly these options, and the fast bin parses and prints `--help` from them.
 */
import table from 'text-table';
import { subgeneratorByName } from '../core/subgenerators.js';
import { ANSWER_OPTIONS, RUN_OPTIONS, flagUsage, type AnswerName, type AnswerOption, type Answers } from '../core/options.js';

export interface GeneratorSpec {
  /** Creates a project (app), changes one that exists (subgenerators), or brings it to this version (update). */
  mode: 'create' | 'change' | 'update';
  /** The answer options this generator takes as flags and asks. */
  asks: readonly AnswerName[];
  /** Answers a subgenerator sets (e.g. `{ celery: true }`). */
  sets?: Partial<Answers>;
  /** Shown when the feature is already there. */
  title?: string;
}

/** The subgenerators are the core's (core/subgenerators.ts, which the docs preview reads too). */
export const SPECS = {
  app: { mode: 'create', asks: ANSWER_OPTIONS.map((o) => o.name) },
  celery: { mode: 'change', ...subgeneratorByName('celery') },
  whitenoise: { mode: 'change', ...subgeneratorByName('whitenoise') },
  kubernetes: { mode: 'change', ...subgeneratorByName('kubernetes') },
  update: { mode: 'update', asks: [] },
} as const satisfies Record<string, GeneratorSpec>;

export type GeneratorName = keyof typeof SPECS;
export const GENERATOR_NAMES = Object.keys(SPECS) as GeneratorName[];

/** One declared option, as Yeoman's `this.option()` takes it. */
export interface CliOption {
  name: string;
  type: 'boolean' | 'string';
  description: string;
  alias?: string;
  default?: boolean;
}

/** Declared by every Yeoman generator itself (yeoman-generator's constructor), in its order. */
export const YEOMAN_OPTIONS: readonly CliOption[] = [
  { name: 'help', type: 'boolean', alias: 'h', description: "Print the generator's options and usage" },
  { name: 'skip-cache', type: 'boolean', description: 'Do not remember prompt answers', default: false },
  { name: 'skip-install', type: 'boolean', description: 'Do not automatically install dependencies', default: false },
  { name: 'force-install', type: 'boolean', description: 'Fail on install dependencies error', default: false },
  { name: 'ask-answered', type: 'boolean', description: 'Show prompts for already configured options', default: false },
];

export function declaredAnswerOptions(spec: GeneratorSpec): AnswerOption[] {
  return ANSWER_OPTIONS.filter((o) => spec.asks.includes(o.name));
}

/** The options this generator declares on top of Yeoman's (the positional project name aside). */
export function ownOptions(spec: GeneratorSpec): CliOption[] {
  const out: CliOption[] = [];
  for (const option of declaredAnswerOptions(spec)) {
    if (option.name === 'projectName') continue;
    out.push({ name: option.flag, type: option.kind === 'boolean' ? 'boolean' : 'string', description: answerHelp(option, spec.mode) });
  }
  for (const run of RUN_OPTIONS) {
    if (run.name === 'skipGit' && spec.mode !== 'create') continue;
    out.push({ name: run.flag, type: 'boolean', description: run.description });
  }
  return out;
}

/** Every option as Yeoman ends up with it: its own first; a name declared twice keeps the first declaration. */
export function allOptions(spec: GeneratorSpec): CliOption[] {
  const out = new Map<string, CliOption>();
  for (const option of [...YEOMAN_OPTIONS, ...ownOptions(spec)]) if (!out.has(option.name)) out.set(option.name, option);
  return [...out.values()];
}

/** The positional argument, when the generator takes one. */
export function positional(spec: GeneratorSpec): AnswerOption | undefined {
  return declaredAnswerOptions(spec).find((o) => o.name === 'projectName');
}

/** `yo twelve-django:<name> --help`, the text Yeoman prints, built from the same declarations. */
export function helpText(name: GeneratorName): string {
  const spec: GeneratorSpec = SPECS[name];
  const argument = positional(spec);
  const out = ['Usage:', `  yo twelve-django:${name} ${argument ? `[<${argument.name}>] ` : ''}[options]`, ''];
  const rows = allOptions(spec).map((o) => [
    '',
    o.alias ? `-${o.alias}, ` : '',
    `--${o.name}`,
    `# ${o.description}`,
    o.default !== undefined ? `Default: ${o.default}` : '',
  ]);
  out.push('Options:', table(rows), '');
  if (argument) {
    out.push('Arguments:', table([['', argument.name, `# ${argument.description}`, 'Type: String', 'Required: false']]), '');
  }
  return out.join('\n');
}

function answerHelp(option: AnswerOption, mode: GeneratorSpec['mode']): string {
  // A subgenerator sets what `when` depends on (e.g. :celery), so the condition only matters when creating.
  const parts = [option.when && mode === 'create' ? `${option.description} (${option.whenText})` : option.description];
  if (option.kind === 'choice') parts.push(`one of ${option.choices.map((c) => c.value).join(', ')}; default ${option.default({})}`);
  if (option.kind === 'boolean') parts.push(`default ${option.default({}) ? 'yes' : 'no'}`);
  if (option.kind === 'text' && option.default({})) parts.push(`default "${option.default({})}"`);
  return `${parts.join('; ')} (${flagUsage(option)})`;
}
