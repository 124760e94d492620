/**
 * The preview's logic, without any UI: query string <-> answers (the CLI's flag names and values), the
 * equivalent commands, the rendered files with what the CLI decides about each (mode, contributing feature).
 * Everything here is the real core, imported from source; the templates come from the CLI's own loader at
 * build time (the `virtual:twelve-templates` module, see ../config.ts).
 */
import { InputError, applies, choiceStates, effectiveDefault, parseValue, resolveAnswers, type ChoiceState, type Given } from '../../../core/answers.js';
import { GENERATOR_FILE_OWNER, fileMode } from '../../../core/files.js';
import { buildModel } from '../../../core/model.js';
import { ANSWER_OPTIONS, POSITIONAL, whenText, type AnswerName, type AnswerOption, type Answers } from '../../../core/options.js';
import { render, renderLocalEnv, type Templates } from '../../../core/render.js';
import { SUBGENERATORS, alreadyThere, subgeneratorGiven, type Subgenerator } from '../../../core/subgenerators.js';

/** Query keys: the project name (the CLI's argument) under its declared key, and the open file. */
export const NAME_KEY = POSITIONAL.flag;
export const FILE_KEY = 'file';
/** The name the page starts with when the link gives none. */
export const DEFAULT_NAME = 'my-site';
/** The package's npm name and yo namespace, as users type them. */
export const NPX = 'npx generator-twelve-django';
export const YO = 'yo twelve-django';
/** The local `.env`: not part of render(), the CLI writes it with a fresh secret. */
export const LOCAL_ENV = '.env';

/** The query key of an option: its declared flag (`name` for the project name). */
export function queryKey(option: AnswerOption): string {
  return option.flag;
}

/** Raw form values, as strings or booleans, keyed by answer name (what the form edits). */
export type Raw = Partial<Record<AnswerName, string | boolean>>;

export interface Parsed {
  raw: Raw;
  file?: string;
  /** Unknown keys, bad values, combinations the CLI refuses: each the one line the page shows. */
  problems: string[];
}

/** Read a share link. Every key and value is checked the way the CLI checks flags; nothing is dropped silently. */
export async function parseQuery(search: string): Promise<Parsed> {
  const params = new URLSearchParams(search);
  const raw: Raw = {};
  const problems: string[] = [];
  let file: string | undefined;
  const given: Given = {};
  for (const [key, value] of params) {
    if (key === FILE_KEY) {
      file = value;
      continue;
    }
    const option = ANSWER_OPTIONS.find((o) => queryKey(o) === key);
    if (!option) {
      problems.push(`unknown key "${key}" in the link: allowed are ${[...ANSWER_OPTIONS.map(queryKey), FILE_KEY].join(', ')}`);
      continue;
    }
    try {
      const parsed = parseValue(option, value) as string | boolean;
      raw[option.name] = parsed;
      given[option.name] = parsed;
    } catch (error) {
      problems.push(messageOf(error));
    }
  }
  if (given[POSITIONAL.name] === undefined) given[POSITIONAL.name] = DEFAULT_NAME;
  // The CLI's own judgement of the whole set (`--beat` without `--celery`, Django 6.1 on Python 3.11, ...).
  try {
    await resolveAnswers(given, { yes: true });
  } catch (error) {
    problems.push(messageOf(error));
  }
  return { raw, file, problems };
}

export interface FormField {
  option: AnswerOption;
  value: string | boolean;
  fallback: string | boolean | undefined;
  /** Each value with why the declared rules refuse it with the answers above (the form disables those). */
  states: ChoiceState[];
  /** When the option exists only with another answer: `only with --celery`. */
  note?: string;
}

/** The fields the form shows for a state: every option that applies (judged in order, like the CLI), with its value. */
export function formFields(raw: Raw): FormField[] {
  const out: FormField[] = [];
  const sofar: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, sofar)) continue;
    const states = choiceStates(option, sofar);
    const fallback = (option === POSITIONAL ? DEFAULT_NAME : effectiveDefault(option, sofar)) as string | boolean | undefined;
    const value = raw[option.name] ?? fallback ?? '';
    (sofar as Record<string, unknown>)[option.name] = value;
    out.push({ option, value, fallback, states, note: whenText(option) });
  }
  return out;
}

/**
 * The flags a form state means: each field's value where it differs from the default. Options that no longer
 * apply (beat once Celery is off) drop out, as they would from a command line.
 */
export function givenFromRaw(raw: Raw): Given {
  const given: Given = {};
  for (const { option, value, fallback } of formFields(raw)) {
    if (option === POSITIONAL || value !== fallback) given[option.name] = value;
  }
  return given;
}

/** Resolve a form state exactly as `--yes` plus its flags would: the answers, or the CLI's error line. */
export async function resolveRaw(raw: Raw): Promise<{ answers: Answers } | { error: string }> {
  try {
    return { answers: await resolveAnswers(givenFromRaw(raw), { yes: true }) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** The answers' flags that differ from the defaults, in declaration order: [option, value]. */
export function nonDefault(answers: Answers): [AnswerOption, string | boolean][] {
  const out: [AnswerOption, string | boolean][] = [];
  const sofar: Partial<Answers> = {};
  for (const option of ANSWER_OPTIONS) {
    if (!applies(option, sofar)) continue;
    const value = answers[option.name] as string | boolean;
    if (option !== POSITIONAL && value !== effectiveDefault(option, sofar)) out.push([option, value]);
    (sofar as Record<string, unknown>)[option.name] = value;
  }
  return out;
}

/** The share link's query: `name`, then the non-default flags with the CLI's values, then the open file. */
export function toQuery(answers: Answers, file?: string): string {
  const params = new URLSearchParams();
  params.set(NAME_KEY, answers.projectName);
  for (const [option, value] of nonDefault(answers)) params.set(queryKey(option), String(value));
  if (file) params.set(FILE_KEY, file);
  return params.toString();
}

/** `--celery`, `--no-whitenoise`, `--database mysql`, `--description 'A shop'`. */
export function flagWords(answers: Answers): string[] {
  return nonDefault(answers).map(([option, value]) =>
    option.kind === 'boolean' ? (value ? `--${option.flag}` : `--no-${option.flag}`) : `--${option.flag} ${shellWord(String(value))}`,
  );
}

/** The commands that make this project: with npx (no global yo) and with yo. */
export function commands(answers: Answers): { npx: string; yo: string } {
  const rest = [shellWord(answers.projectName), '--yes', ...flagWords(answers)].join(' ');
  return { npx: `${NPX} ${rest}`, yo: `${YO} ${rest}` };
}

/** A POSIX shell word: bare when safe, single-quoted otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface ProjectFile {
  path: string;
  content: string;
  /** 0o755 or 0o644: the mode the CLI writes. */
  mode: number;
  /** The feature that contributes it (`generator` for `.yo-rc.json`). */
  feature: string;
}

/** Every file render() gives, with the mode the CLI writes and the feature that contributed it. */
export function projectFiles(answers: Answers, templates: Templates): ProjectFile[] {
  const owners = buildModel(answers).fileFeatures;
  return [...render(answers, templates)].map(([path, content]) => ({
    path,
    content,
    mode: fileMode(content),
    feature: owners.get(path) ?? GENERATOR_FILE_OWNER,
  }));
}

/** The local `.env` as the CLI writes it, with a fresh secret of the same kind (48 random bytes, base64url). */
export function localEnv(answers: Answers, templates: Templates): string {
  const bytes = crypto.getRandomValues(new Uint8Array(48));
  const secret = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return renderLocalEnv(answers, templates, secret);
}

/** What to compare the current answers with. */
export type CompareTarget = { kind: 'defaults' } | { kind: 'subgenerator'; name: string } | { kind: 'answers'; raw: Raw };

export const SUBGENERATOR_LIST: readonly Subgenerator[] = SUBGENERATORS;

/**
 * The second answer set. For a subgenerator, the same computation `yo twelve-django:<name> --yes` does on a
 * project made with `answers`: what it does not ask stays, what it sets is set, its own answers defaulted.
 */
export async function compareAnswers(answers: Answers, target: CompareTarget): Promise<{ answers: Answers; note?: string } | { error: string }> {
  try {
    if (target.kind === 'defaults') {
      return { answers: await resolveAnswers({ projectName: answers.projectName }, { yes: true }) };
    }
    if (target.kind === 'subgenerator') {
      const sub = SUBGENERATORS.find((s) => s.name === target.name)!;
      if (alreadyThere(sub, answers)) return { answers, note: `${sub.title} is already in this project: \`${YO}:${sub.name}\` has nothing to change.` };
      return { answers: await resolveAnswers(subgeneratorGiven(sub, answers), { yes: true }) };
    }
    return { answers: await resolveAnswers(givenFromRaw(target.raw), { yes: true }) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** Highlighting language for a path (Shiki's bundled grammars only; undefined = plain text). */
export function languageOf(path: string): string | undefined {
  const base = path.split('/').pop()!;
  if (base === 'Dockerfile') return 'dockerfile';
  if (base === '.env.example' || base === LOCAL_ENV) return 'dotenv';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  return ({ py: 'python', toml: 'toml', yml: 'yaml', yaml: 'yaml', sh: 'shell', md: 'markdown', json: 'json' } as Record<string, string>)[ext];
}

export function messageOf(error: unknown): string {
  return error instanceof InputError || error instanceof Error ? error.message : String(error);
}
