/**
 * Every generator the package has (create, the subgenerators from core/subgenerators.ts, update) and the
 * command-line options each declares, as data: the Yeoman classes declare exactly these, the fast bin parses and
 * prints `--help` from them, the docs list them. Pure, like the rest of the core.
 */
import { ANSWER_OPTIONS, POSITIONAL, RUN_OPTIONS, flagUsage, whenText, type AnswerName, type AnswerOption, type Answers } from './options.js';
import { SUBGENERATORS, type SubgeneratorName } from './subgenerators.js';

export interface GeneratorSpec {
  /** Creates a project (app), changes one that exists (subgenerators), or brings it to this version (update). */
  mode: 'create' | 'change' | 'update';
  /** The answer options this generator takes as flags and asks. */
  asks: readonly AnswerName[];
  /** Answers a subgenerator sets (e.g. `{ celery: true }`). */
  sets?: Partial<Answers>;
  /** Shown when the feature is already there. */
  title?: string;
  /** One line for the docs. */
  description: string;
}

export type GeneratorName = 'app' | SubgeneratorName | 'update';

export const SPECS: Readonly<Record<GeneratorName, GeneratorSpec>> = {
  app: { mode: 'create', asks: ANSWER_OPTIONS.map((o) => o.name), description: 'Asks every question and writes a new project' },
  ...(Object.fromEntries(SUBGENERATORS.map((s): [string, GeneratorSpec] => [s.name, { mode: 'change', ...s }])) as Record<SubgeneratorName, GeneratorSpec>),
  update: { mode: 'update', asks: [], description: 'everything the installed version writes differently from the version that made the project (below)' },
};

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

/** The options this generator declares on top of Yeoman's (the positional argument aside). */
export function ownOptions(spec: GeneratorSpec): CliOption[] {
  const out: CliOption[] = [];
  for (const option of declaredAnswerOptions(spec)) {
    if (option === POSITIONAL) continue;
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
  return declaredAnswerOptions(spec).find((o) => o === POSITIONAL);
}

function answerHelp(option: AnswerOption, mode: GeneratorSpec['mode']): string {
  // A subgenerator sets what `when` depends on (e.g. :celery), so the condition only matters when creating.
  const parts = [option.when && mode === 'create' ? `${option.description} (${whenText(option)})` : option.description];
  if (option.kind === 'choice') parts.push(`one of ${option.choices.map((c) => c.value).join(', ')}; default ${option.default}`);
  if (option.kind === 'boolean') parts.push(`default ${option.default ? 'yes' : 'no'}`);
  if (option.kind === 'text' && option.default) parts.push(`default "${option.default}"`);
  return `${parts.join('; ')} (${flagUsage(option)})`;
}
