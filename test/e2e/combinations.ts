/**
 * The covering set of option combinations the end-to-end suite generates and runs.
 *
 * - every pair of values of database x cache x broker x server at least once (broker "none" means
 *   no Celery), built by a small deterministic greedy pairwise algorithm over the full product;
 * - every value of every other option at least once (beat on/off among the Celery rows,
 *   WhiteNoise on/off; Kubernetes on for every row with a database server, so every broker, cache,
 *   server and database server meets it);
 * - the defaults (no option flags at all) and an everything-on project.
 * All with `--python 3.11 --django 5.2`: 3.11 is the interpreter on the machines the suite runs on;
 * other Python and Django versions are checked statically by the unit tests.
 * combinations.test.ts proves the coverage against the generator's own option declaration.
 */

import { choiceStates } from '../../core/answers.js';
import { optionByName, type AnswerOption, type Answers, type Value } from '../../core/options.js';

export const DATABASES = ['postgres', 'mysql', 'sqlite'] as const;
export const CACHES = ['redis', 'memcached', 'none'] as const;
/** "none" = no Celery. */
export const BROKERS = ['none', 'redis', 'rabbitmq'] as const;
export const SERVERS = ['gunicorn', 'uvicorn', 'granian'] as const;

export const PYTHON = '3.11';
export const DJANGO = '5.2';

export type Database = (typeof DATABASES)[number];
export type Cache = (typeof CACHES)[number];
export type Broker = (typeof BROKERS)[number];
export type Server = (typeof SERVERS)[number];

export interface Combination {
  /** Project name and directory; also names its databases. */
  name: string;
  kind: 'pairwise' | 'defaults' | 'everything-on';
  /** The answers the generated project must end up with (checked against its .yo-rc.json). */
  database: Database;
  cache: Cache;
  celery: boolean;
  broker?: Exclude<Broker, 'none'>;
  beat?: boolean;
  server: Server;
  whitenoise: boolean;
  /** Kubernetes manifests: on wherever a database server is (SQLite is refused with --kubernetes). */
  kubernetes: boolean;
  /** The flags to pass; the defaults combination passes none of the option flags. */
  flags: string[];
}

/** The four dimensions that are covered pairwise. */
export const DIMENSIONS = [DATABASES, CACHES, BROKERS, SERVERS] as const;
type Row = [number, number, number, number];

function pairsOf(row: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < row.length; i++) for (let j = i + 1; j < row.length; j++) out.push(`${i}=${row[i]}/${j}=${row[j]}`);
  return out;
}

/**
 * Greedy pairwise: repeatedly take, from the full product in lexicographic order, the first row that
 * covers the most pairs not covered yet. Deterministic, and fine for products of a few hundred rows.
 */
export function pairwiseRows(sizes: readonly number[]): number[][] {
  let product: number[][] = [[]];
  for (const n of sizes) product = product.flatMap((p) => Array.from({ length: n }, (_, v) => [...p, v]));
  const uncovered = new Set(product.flatMap(pairsOf));
  const rows: number[][] = [];
  while (uncovered.size) {
    let best: number[] = product[0]!;
    let bestGain = -1;
    for (const row of product) {
      const gain = pairsOf(row).filter((p) => uncovered.has(p)).length;
      if (gain > bestGain) [best, bestGain] = [row, gain];
    }
    for (const p of pairsOf(best)) uncovered.delete(p);
    rows.push(best);
  }
  return rows;
}

const SHORT: Record<string, string> = {
  postgres: 'pg',
  mysql: 'my',
  sqlite: 'lite',
  redis: 'redis',
  memcached: 'memc',
  none: 'nocache',
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  granian: 'granian',
};

function flagsFor(c: Omit<Combination, 'flags' | 'name' | 'kind'>): string[] {
  const f = ['--database', c.database, '--cache', c.cache];
  if (c.celery) f.push('--celery', '--broker', c.broker!, c.beat ? '--beat' : '--no-beat');
  else f.push('--no-celery');
  f.push('--server', c.server, c.whitenoise ? '--whitenoise' : '--no-whitenoise');
  f.push(c.kubernetes ? '--kubernetes' : '--no-kubernetes');
  return f;
}

function build(): Combination[] {
  const rows = pairwiseRows(DIMENSIONS.map((d) => d.length)) as Row[];
  let celeryRows = 0;
  const out: Combination[] = rows.map(([d, c, b, s], i) => {
    const broker = BROKERS[b]!;
    const celery = broker !== 'none';
    const answers = {
      database: DATABASES[d]!,
      cache: CACHES[c]!,
      celery,
      ...(celery ? { broker, beat: celeryRows++ % 2 === 0 } : {}),
      server: SERVERS[s]!,
      // every third project without WhiteNoise
      whitenoise: i % 3 !== 2,
      kubernetes: false,
    } as Omit<Combination, 'flags' | 'name' | 'kind'>;
    // Kubernetes on wherever the option's declared rules allow it (not with SQLite).
    answers.kubernetes = allowed(optionByName('kubernetes'), true, answers);
    const brokerName = celery ? `celery${broker === 'rabbitmq' ? 'rmq' : 'redis'}` : 'nocelery';
    const name = `e${String(i + 1).padStart(2, '0')}-${SHORT[answers.database]}-${SHORT[answers.cache]}-${brokerName}-${SHORT[answers.server]}`;
    return { name, kind: 'pairwise', ...answers, flags: flagsFor(answers) };
  });
  out.push({
    name: 'defaults',
    kind: 'defaults',
    database: 'postgres',
    cache: 'redis',
    celery: false,
    server: 'gunicorn',
    whitenoise: true,
    kubernetes: false,
    flags: [],
  });
  const everything = {
    database: 'postgres',
    cache: 'redis',
    celery: true,
    broker: 'rabbitmq',
    beat: true,
    server: 'gunicorn',
    whitenoise: true,
    kubernetes: true,
  } as const;
  out.push({ name: 'everything-on', kind: 'everything-on', ...everything, flags: flagsFor(everything) });
  return out;
}

/** Whether the declared rules allow an option's value with these answers. */
function allowed(option: AnswerOption, value: Value, answers: object): boolean {
  return choiceStates(option, answers as Partial<Answers>).some((c) => c.value === value && !c.refused);
}

export const COMBINATIONS: readonly Combination[] = build();

/** The generator's command line for one combination (after `<cli> <name>`). */
export function cliArgs(c: Combination, extra: readonly string[] = []): string[] {
  return [c.name, '--yes', '--python', PYTHON, '--django', DJANGO, ...c.flags, ...extra];
}

/** The answers a combination must end up with, in .yo-rc.json's terms. */
export function expectedAnswers(c: Combination): Record<string, unknown> {
  return {
    python: PYTHON,
    django: DJANGO,
    database: c.database,
    cache: c.cache,
    celery: c.celery,
    ...(c.celery ? { broker: c.broker, beat: c.beat } : {}),
    server: c.server,
    whitenoise: c.whitenoise,
    kubernetes: c.kubernetes,
  };
}

/** Which local services a combination needs (for the up-front check and its message). */
export function servicesFor(c: Combination): Array<'postgresql' | 'mariadb' | 'redis' | 'rabbitmq' | 'memcached'> {
  const s: Array<'postgresql' | 'mariadb' | 'redis' | 'rabbitmq' | 'memcached'> = [];
  if (c.database === 'postgres') s.push('postgresql');
  if (c.database === 'mysql') s.push('mariadb');
  if (c.cache === 'redis' || c.broker === 'redis') s.push('redis');
  if (c.cache === 'memcached') s.push('memcached');
  if (c.broker === 'rabbitmq') s.push('rabbitmq');
  return s;
}

/** What the container subset must cover between its combinations (issue 8). */
export function containerValues(c: Combination): string[] {
  return [`server=${c.server}`, `database=${c.database}`, ...(c.celery ? [`broker=${c.broker}`] : []), `whitenoise=${c.whitenoise}`];
}

/**
 * The combinations whose image is built and run (building is the slow part): the everything-on
 * project, then greedily, in order, the one that covers the most values not covered yet, until every
 * server, database, broker and WhiteNoise on/off is covered. Deterministic.
 */
function buildContainerSet(): Combination[] {
  const all = new Set(COMBINATIONS.flatMap(containerValues));
  const chosen = [COMBINATIONS.find((c) => c.kind === 'everything-on')!];
  const covered = new Set(containerValues(chosen[0]!));
  while (covered.size < all.size) {
    let best: Combination | undefined;
    let gain = 0;
    for (const c of COMBINATIONS) {
      const g = containerValues(c).filter((v) => !covered.has(v)).length;
      if (g > gain) [best, gain] = [c, g];
    }
    chosen.push(best!);
    for (const v of containerValues(best!)) covered.add(v);
  }
  return chosen;
}

export const CONTAINER_COMBINATIONS: readonly Combination[] = buildContainerSet();
