/**
 * The subgenerators as data: each is the app generator with some answers set. The Yeoman shell runs
 * them; the docs preview computes "what `yo twelve-django:<name>` would change" from the same specs.
 */
import type { Given } from './answers.js';
import type { AnswerName, Answers } from './options.js';

export interface Subgenerator {
  /** `yo twelve-django:<name>`. */
  name: string;
  /** The answer options it takes as flags and asks. */
  asks: readonly AnswerName[];
  /** The answers it sets. */
  sets: Partial<Answers>;
  /** Shown when the feature is already there. */
  title: string;
}

export const SUBGENERATORS: readonly Subgenerator[] = [
  { name: 'celery', asks: ['beat', 'broker'], sets: { celery: true }, title: 'Celery' },
  { name: 'whitenoise', asks: [], sets: { whitenoise: true }, title: 'WhiteNoise' },
  { name: 'kubernetes', asks: [], sets: { kubernetes: true }, title: 'Kubernetes' },
];

export function subgeneratorByName(name: string): Subgenerator {
  const sub = SUBGENERATORS.find((s) => s.name === name);
  if (!sub) throw new Error(`no subgenerator ${name}`);
  return sub;
}

/** Whether the project already has what the subgenerator sets. */
export function alreadyThere(sub: Pick<Subgenerator, 'sets'>, previous: Answers): boolean {
  return Object.entries(sub.sets).every(([k, v]) => previous[k as AnswerName] === v);
}

/**
 * What a subgenerator resolves its answers from, before its own flags: everything it does not ask stays as
 * stored; a feature being added takes its own answers from flags, prompts or defaults, one already there keeps
 * its stored choices unless a flag changes them.
 */
export function subgeneratorGiven(sub: Pick<Subgenerator, 'asks' | 'sets'>, previous: Answers): Given {
  const present = alreadyThere(sub, previous);
  const stored = Object.fromEntries(
    Object.entries(previous).filter(([k]) => present || !sub.asks.includes(k as AnswerName)),
  ) as Given;
  return { ...stored, ...sub.sets };
}

