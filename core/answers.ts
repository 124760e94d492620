/**
 * From flags (and, in a terminal, prompts) to validated answers. Pure: the shell hands in
 * what was given on the command line and a way to ask; everything else is decided here.
 */
import { ANSWER_OPTIONS, flagUsage, type AnswerName, type AnswerOption, type Answers } from './options.js';
import { projectNameProblem } from './slug.js';
import { DJANGO_VERSIONS, compareVersions } from './versions.js';

/** Bad input: the message is the one line the user sees. */
export class InputError extends Error {
  override name = 'InputError';
}

export type Given = Partial<Record<AnswerName, unknown>>;
export type Ask = (option: AnswerOption, defaultValue: unknown, sofar: Partial<Answers>) => Promise<unknown>;

export function applies(option: AnswerOption, sofar: Partial<Answers>): boolean {
  return option.when ? option.when(sofar) : true;
}

/** Turn a raw flag or prompt value into the option's type, or throw naming the flag and what is allowed. */
export function parseValue(option: AnswerOption, raw: unknown): unknown {
  if (option.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'yes') return true;
    if (raw === 'false' || raw === 'no') return false;
    throw new InputError(`--${option.flag} takes no value (use --${option.flag} or --no-${option.flag}), got "${String(raw)}"`);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    throw new InputError(`--${option.flag} needs a value: ${flagUsage(option)}`);
  }
  const value = String(raw);
  if (option.kind === 'choice') {
    if (!option.choices.some((c) => c.value === value)) {
      throw new InputError(
        `--${option.flag} "${value}" is not a choice: use one of ${option.choices.map((c) => c.value).join(', ')}`,
      );
    }
    return value;
  }
  const problem = option.name === 'projectName' ? projectNameProblem(value) : option.validate?.(value);
  if (problem) {
    const label = option.name === 'projectName' ? `project name "${value}"` : `--${option.flag} "${value}"`;
    const allowed = option.name === 'projectName' ? ': use letters, digits, "-" or "_", starting with a letter' : '';
    throw new InputError(`${label} cannot be used: ${problem}${allowed}`);
  }
  return value;
}

/** Rules between answers; throws the first broken one. Works on partial answers, so flags fail before any prompt. */
export function checkCombination(a: Partial<Answers>): void {
  if (a.kubernetes && a.database === 'sqlite') {
    // One SQLite file cannot be shared by web replicas, the worker and the release Job on other nodes.
    throw new InputError(
      '--kubernetes needs a database server reached by URL: SQLite is one file on one machine; choose --database postgres or mysql, or --no-kubernetes',
    );
  }
  if (a.django && a.python) {
    const django = DJANGO_VERSIONS.find((d) => d.version === a.django);
    if (django && compareVersions(a.python, django.minPython) < 0) {
      throw new InputError(
        `--django ${a.django} needs Python ${django.minPython} or newer, got --python ${a.python}: ` +
          `choose --python ${django.minPython} or newer, or --django 5.2`,
      );
    }
  }
}

/**
 * Resolve every answer: flags first (all checked before anything is asked), then for each option in order
 * the flag, the stored answer, the default under `yes`, or the `ask` callback. Without `ask` (no terminal),
 * a missing answer is an error naming the flags to pass.
 */
export async function resolveAnswers(
  given: Given,
  opts: { yes: boolean; ask?: Ask; stored?: Partial<Answers> },
): Promise<Answers> {
  const parsed: Partial<Record<AnswerName, unknown>> = {};
  for (const option of ANSWER_OPTIONS) {
    if (given[option.name] !== undefined) parsed[option.name] = parseValue(option, given[option.name]);
  }
  // An option given where it does not apply, judged on the flags alone (defaults fill the rest).
  const flagsOnly = withDefaults(parsed, opts.stored);
  for (const option of ANSWER_OPTIONS) {
    if (parsed[option.name] !== undefined && !applies(option, flagsOnly)) {
      throw new InputError(`--${option.flag} is ${option.whenText ?? 'not available with these answers'}`);
    }
  }
  checkCombination(parsed as Partial<Answers>);

  if (!opts.yes && !opts.ask) {
    const missing = ANSWER_OPTIONS.filter(
      (o) => parsed[o.name] === undefined && opts.stored?.[o.name] === undefined && applies(o, flagsOnly),
    );
    if (missing.length > 0) {
      throw new InputError(
        `no terminal to ask on: pass ${missing.map((o) => (o.name === 'projectName' ? 'the project name' : flagUsage(o))).join(', ')}, or --yes for the defaults`,
      );
    }
  }

  const answers: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, answers)) continue;
    let value = parsed[option.name];
    if (value === undefined) {
      // A project that exists keeps its answers unless a flag changes them.
      const fallback = opts.stored?.[option.name] ?? option.default(answers);
      if (option.name === 'projectName' && fallback === undefined && (opts.yes || !opts.ask)) {
        throw new InputError('the project name is missing: give it as the first argument, e.g. `yo twelve-django my-site`');
      }
      value = opts.yes || !opts.ask ? fallback : parseValue(option, await opts.ask(option, fallback, answers));
    }
    (answers as Record<string, unknown>)[option.name] = value;
    checkCombination(answers);
  }
  return answers as Answers;
}

/** Fill every applicable, unanswered option with its default (for judging `when` on flags alone). */
function withDefaults(parsed: Partial<Record<AnswerName, unknown>>, stored?: Partial<Answers>): Partial<Answers> {
  const out: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, out)) continue;
    (out as Record<string, unknown>)[option.name] = parsed[option.name] ?? stored?.[option.name] ?? option.default(out);
  }
  return out;
}

/** Answers in declaration order, only the applicable ones: the exact `.yo-rc.json` content. */
export function storedAnswers(a: Answers): Partial<Answers> {
  const out: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (applies(option, out) && a[option.name] !== undefined) {
      (out as Record<string, unknown>)[option.name] = a[option.name];
    }
  }
  return out;
}

/** Check answers read back from a `.yo-rc.json`; a hand-edited file gets the same one-line errors as flags. */
export function checkStoredAnswers(stored: Record<string, unknown>): Answers {
  const out: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, out)) continue;
    const raw = stored[option.name];
    (out as Record<string, unknown>)[option.name] = raw === undefined ? option.default(out) : parseValue(option, raw);
  }
  checkCombination(out);
  return out as Answers;
}
