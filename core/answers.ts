/**
 * From flags (and, in a terminal, prompts) to validated answers. Pure: the shell hands in what was given on the
 * command line and a way to ask; everything else is decided here, from the declarations' own rules.
 */
import {
  ANSWER_OPTIONS,
  conditionText,
  flagUsage,
  holds,
  optionByName,
  optionValues,
  valueFlag,
  whenText,
  type AnswerName,
  type AnswerOption,
  type Answers,
  type Value,
  type ValueRule,
} from './options.js';
import { projectNameProblem } from './slug.js';

/** Bad input: the message is the one line the user sees. */
export class InputError extends Error {
  override name = 'InputError';
}

export type Given = Partial<Record<AnswerName, unknown>>;
/** `choices`: the values the rules allow here (choice options), each with why not when it is not allowed. */
export type Ask = (option: AnswerOption, defaultValue: unknown, sofar: Partial<Answers>, choices?: ChoiceState[]) => Promise<unknown>;
export interface ChoiceState {
  value: Value;
  /** Why the rules refuse it with the answers so far; undefined when allowed. */
  refused?: string;
}

type Sofar = Partial<Record<AnswerName, unknown>>;

/** Whether the option exists with the answers so far (`beat` only with Celery). */
export function applies(option: AnswerOption, sofar: Sofar): boolean {
  return option.when ? holds(option.when, sofar) : true;
}

/** The rule a value breaks with the answers so far (only answers already given are judged). */
export function brokenRule(option: AnswerOption, value: unknown, sofar: Sofar): ValueRule | undefined {
  return option.rules?.find(
    (r) => r.value === value && Object.entries(r.needs).some(([name, values]) => sofar[name as AnswerName] !== undefined && !values.includes(sofar[name as AnswerName] as Value)),
  );
}

/** The one line for a broken rule: what is wrong (the answers that break it), why, and what to choose instead. */
export function ruleProblem(option: AnswerOption, rule: ValueRule, sofar: Sofar): string {
  const others = optionValues(option).filter((v) => v !== rule.value);
  const instead = others.length === 1 ? `, or ${valueFlag(option, others[0]!)}` : '';
  const got = Object.keys(rule.needs)
    .filter((name) => sofar[name as AnswerName] !== undefined)
    .map((name) => valueFlag(optionByName(name as AnswerName), sofar[name as AnswerName] as Value));
  return `${valueFlag(option, rule.value)} needs ${conditionText(rule.needs)}, got ${got.join(' ')}: ${rule.because}; choose ${conditionText(rule.needs)}${instead}`;
}

/** Values of an option with the answers so far: which the rules allow. */
export function choiceStates(option: AnswerOption, sofar: Sofar): ChoiceState[] {
  return optionValues(option).map((value) => {
    const rule = brokenRule(option, value, sofar);
    return rule ? { value, refused: ruleProblem(option, rule, sofar) } : { value };
  });
}

/** The default with the answers so far: the declared one, or the first value the rules allow when it is refused. */
export function effectiveDefault(option: AnswerOption, sofar: Sofar): unknown {
  if (option.kind === 'text' || !brokenRule(option, option.default, sofar)) return option.default;
  return choiceStates(option, sofar).find((c) => !c.refused)?.value ?? option.default;
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
      throw new InputError(`--${option.flag} "${value}" is not a choice: use one of ${option.choices.map((c) => c.value).join(', ')}`);
    }
    return value;
  }
  const problem = option.positional ? projectNameProblem(value) : option.validate?.(value);
  if (problem) {
    const label = option.positional ? `${option.positional.label} "${value}"` : `--${option.flag} "${value}"`;
    throw new InputError(`${label} cannot be used: ${problem}${option.positional ? `: ${option.positional.allowed}` : ''}`);
  }
  return value;
}

/** Every rule between the answers given so far; throws the first broken one. Works on partial answers. */
export function checkRules(sofar: Sofar): void {
  for (const option of ANSWER_OPTIONS) {
    const value = sofar[option.name];
    if (value === undefined) continue;
    const rule = brokenRule(option, value, sofar);
    if (rule) throw new InputError(ruleProblem(option, rule, sofar));
  }
}

/**
 * Resolve every answer: flags first (all checked before anything is asked), then for each option in order
 * the flag, the stored answer, the default under `yes`, or the `ask` callback. Without `ask` (no terminal),
 * a missing answer is an error naming the flags to pass. A question with a single allowed value is not asked.
 */
export async function resolveAnswers(given: Given, opts: { yes: boolean; ask?: Ask; stored?: Partial<Answers> }): Promise<Answers> {
  const parsed: Sofar = {};
  for (const option of ANSWER_OPTIONS) {
    if (given[option.name] !== undefined) parsed[option.name] = parseValue(option, given[option.name]);
  }
  // An option given where it does not apply, judged on the flags alone (defaults fill the rest).
  const flagsOnly = withDefaults(parsed, opts.stored);
  for (const option of ANSWER_OPTIONS) {
    if (parsed[option.name] !== undefined && !applies(option, flagsOnly)) {
      throw new InputError(`--${option.flag} is ${whenText(option) ?? 'not available with these answers'}`);
    }
  }
  checkRules(parsed);

  const interactive = !opts.yes && opts.ask !== undefined;
  if (!opts.yes && !opts.ask) {
    const missing = ANSWER_OPTIONS.filter((o) => parsed[o.name] === undefined && opts.stored?.[o.name] === undefined && applies(o, flagsOnly));
    if (missing.length > 0) throw new InputError(`no terminal to ask on: pass ${missing.map(flagUsage).join(', ')}, or --yes for the defaults`);
  }

  const answers: Sofar = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, answers)) continue;
    let value = parsed[option.name];
    if (value === undefined) {
      // A project that exists keeps its answers unless a flag changes them.
      const fallback = opts.stored?.[option.name] ?? effectiveDefault(option, answers);
      if (option.kind === 'text' && option.positional && fallback === undefined && !interactive) {
        throw new InputError(`the ${option.positional.label} is missing: ${option.positional.missing}`);
      }
      const states = choiceStates(option, answers);
      const allowed = states.filter((c) => !c.refused);
      // The fallback is the one allowed value when the rules leave a single one: nothing to ask.
      if (!interactive || (option.kind !== 'text' && allowed.length === 1)) {
        value = fallback;
      } else {
        value = parseValue(option, await opts.ask!(option, fallback, answers as Partial<Answers>, option.kind === 'text' ? undefined : states));
      }
    }
    answers[option.name] = value;
    checkRules({ ...parsed, ...answers });
  }
  return answers as Answers;
}

/** Fill every applicable, unanswered option with its default (for judging `when` on flags alone). */
function withDefaults(parsed: Sofar, stored?: Partial<Answers>): Sofar {
  const out: Sofar = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, out)) continue;
    out[option.name] = parsed[option.name] ?? stored?.[option.name] ?? effectiveDefault(option, out);
  }
  return out;
}

/** Answers in declaration order, only the applicable ones: the exact `.yo-rc.json` content. */
export function storedAnswers(a: Answers): Partial<Answers> {
  const out: Sofar = {};
  for (const option of ANSWER_OPTIONS) {
    if (applies(option, out) && a[option.name] !== undefined) out[option.name] = a[option.name];
  }
  return out as Partial<Answers>;
}

/** Check answers read back from a `.yo-rc.json`; a hand-edited file gets the same one-line errors as flags. */
export function checkStoredAnswers(stored: Record<string, unknown>): Answers {
  const out: Sofar = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, out)) continue;
    const raw = stored[option.name];
    out[option.name] = raw === undefined ? effectiveDefault(option, out) : parseValue(option, raw);
  }
  checkRules(out);
  return out as Answers;
}
