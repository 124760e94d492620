/**
 * `twelve-django celery` (= `yo twelve-django:celery`) on projects that exist, through the built CLI.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  MARKERS,
  applyEdit,
  changedFiles,
  cli,
  edit,
  expectSameTree,
  generate,
  read,
  readTree,
  stamps,
  sub,
  tempDir,
  write,
  type Edit,
} from './helpers.js';

const TIMEOUT = 60_000;

/** Every choice of the subgenerator, on projects that differ in what Celery has to fit around. */
const BASES: Record<string, string[]> = {
  default: [],
  'sqlite, no cache, granian, no whitenoise': ['--database', 'sqlite', '--cache', 'none', '--server', 'granian', '--no-whitenoise'],
  'mysql, memcached, uvicorn': ['--database', 'mysql', '--cache', 'memcached', '--server', 'uvicorn'],
};
const CHOICES = [
  ['--beat', '--broker', 'redis'],
  ['--beat', '--broker', 'rabbitmq'],
  ['--no-beat', '--broker', 'redis'],
  ['--no-beat', '--broker', 'rabbitmq'],
];
const CASES = Object.entries(BASES).flatMap(([label, base]) => CHOICES.map((choice) => ({ label, base, choice })));

describe.concurrent('celery: generated with --celery == generated without, then `celery`', { timeout: TIMEOUT }, () => {
  test.for(CASES)('$label + $choice', async ({ base, choice }) => {
    const [fresh, later] = await Promise.all([generate([...base, '--celery', ...choice]), generate([...base, '--no-celery'])]);
    expect(changedFiles(readTree(later), readTree(fresh))).toContain('config/celery.py');
    const run = await sub(later, 'celery', choice);
    expect(run.code, run.stderr).toBe(0);
    expectSameTree(readTree(later), readTree(fresh));
  });

  test('`celery --yes` takes the same defaults as `--celery --yes`', async () => {
    const [fresh, later] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    const run = await sub(later, 'celery', ['--yes']);
    expect(run.code).toBe(0);
    expectSameTree(readTree(later), readTree(fresh));
    expect(JSON.parse(read(later, '.yo-rc.json'))['generator-twelve-django']).toMatchObject({ celery: true, beat: true, broker: 'redis' });
  });
});
