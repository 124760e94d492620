/**
 * The subgenerators as data: each is the app generator with some answers set. This one list is read by the shell
 * (core/generators.ts), the Yeoman entry points (written from it at build time), the docs preview ("what
 * `yo twelve-django:<name>` would change") and the docs' subgenerator reference: adding one is one entry here.
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
  /** One line for the docs: what it adds. */
  description: string;
}

export const SUBGENERATORS = [
  { name: 'celery', asks: ['beat', 'broker'], sets: { celery: true }, title: 'Celery', description: 'the Celery app (`config/celery.py`, `config/__init__.py`), its settings, an example task and its test, `worker` (and `beat`) in the Procfile and in docker compose, the broker service, `.env.example` entries, the dependency, the README\'s process and factor tables' },
  { name: 'whitenoise', asks: [], sets: { whitenoise: true }, title: 'WhiteNoise', description: 'the middleware right after `SecurityMiddleware`, `STORAGES` (both keys), the test settings, the dependency, the Dockerfile\'s build-time `collectstatic` step, the README\'s factor table' },
  { name: 'kubernetes', asks: [], sets: { kubernetes: true }, title: 'Kubernetes', description: '`deploy/kubernetes/` (a Kustomize base, the `staging` and `production` overlays, with Celery the KEDA component), the git- and docker-ignored secret files, the README\'s deploy section; refused for a SQLite project' },
] as const satisfies readonly Subgenerator[];

export type SubgeneratorName = (typeof SUBGENERATORS)[number]['name'];

export function subgeneratorByName(name: string): Subgenerator {
  const sub = (SUBGENERATORS as readonly Subgenerator[]).find((s) => s.name === name);
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
  const stored = Object.fromEntries(Object.entries(previous).filter(([k]) => present || !sub.asks.includes(k as AnswerName))) as Given;
  return { ...stored, ...sub.sets };
}
