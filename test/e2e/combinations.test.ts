/**
 * Proves that the end-to-end covering set covers what issue 4 asks for, measured against the
 * generator's own option declaration (core/options.ts), so a new choice there fails here until the
 * set covers it. Fast and pure: runs with the unit tests and with the e2e suite.
 */
import { describe, expect, it } from 'vitest';
import { applies, checkRules, effectiveDefault } from '../../core/answers.js';
import { ANSWER_OPTIONS } from '../../core/options.js';
import {
  BROKERS,
  CACHES,
  COMBINATIONS,
  CONTAINER_COMBINATIONS,
  DATABASES,
  DJANGO,
  PYTHON,
  SERVERS,
  cliArgs,
  expectedAnswers,
  pairwiseRows,
  type Combination,
} from './combinations.js';

/** Options the suite can only run at one value on these machines, and why. */
const RUN_AT_ONE_VALUE: Record<string, string> = {
  python: `only Python ${PYTHON} is installed where the suite runs; other versions are checked statically`,
  django: `Django ${DJANGO} is the newest release that supports Python ${PYTHON}`,
};

const brokerOf = (c: Combination) => (c.celery ? c.broker! : 'none');

describe('e2e covering set', () => {
  it('lists the same choices as the option declaration', () => {
    const choices = (name: string) => {
      const o = ANSWER_OPTIONS.find((x) => x.name === name);
      expect(o?.kind, `option ${name}`).toBe('choice');
      return o!.kind === 'choice' ? o!.choices.map((c) => c.value) : [];
    };
    expect([...DATABASES].sort()).toEqual(choices('database').sort());
    expect([...CACHES].sort()).toEqual(choices('cache').sort());
    expect([...BROKERS].filter((b) => b !== 'none').sort()).toEqual(choices('broker').sort());
    expect([...SERVERS].sort()).toEqual(choices('server').sort());
  });

  it('covers every value of every option at least once', () => {
    const notRun: string[] = [];
    for (const option of ANSWER_OPTIONS) {
      if (option.kind === 'text') continue;
      const values: unknown[] = option.kind === 'boolean' ? [true, false] : option.choices.map((c) => c.value);
      const seen = new Set(COMBINATIONS.map((c) => expectedAnswers(c)[option.name]));
      if (RUN_AT_ONE_VALUE[option.name]) {
        expect(seen.size).toBe(1);
        notRun.push(`--${option.flag}: only ${[...seen].join()} (${RUN_AT_ONE_VALUE[option.name]})`);
        continue;
      }
      for (const v of values) expect(seen.has(v), `--${option.flag} ${String(v)} is in no combination`).toBe(true);
    }
    console.log(`e2e covering set: options run at one value only:\n  ${notRun.join('\n  ')}`);
    expect(notRun.length).toBe(Object.keys(RUN_AT_ONE_VALUE).length);
  });

  it('covers every pair of database x cache x broker x server', () => {
    const dims: Array<[string, readonly string[], (c: Combination) => string]> = [
      ['database', DATABASES, (c) => c.database],
      ['cache', CACHES, (c) => c.cache],
      ['broker', BROKERS, brokerOf],
      ['server', SERVERS, (c) => c.server],
    ];
    let pairs = 0;
    for (let i = 0; i < dims.length; i++) {
      for (let j = i + 1; j < dims.length; j++) {
        const [ni, vi, fi] = dims[i]!;
        const [nj, vj, fj] = dims[j]!;
        for (const a of vi) {
          for (const b of vj) {
            pairs++;
            const hit = COMBINATIONS.some((c) => fi(c) === a && fj(c) === b);
            expect(hit, `no combination with ${ni}=${a} and ${nj}=${b}`).toBe(true);
          }
        }
      }
    }
    expect(pairs).toBe(54);
  });

  it('has the defaults (no option flags) and an everything-on project', () => {
    const defaults = COMBINATIONS.filter((c) => c.kind === 'defaults');
    expect(defaults).toHaveLength(1);
    expect(defaults[0]!.flags).toEqual([]);
    // its expected answers are the declaration's defaults
    const d = expectedAnswers(defaults[0]!);
    for (const option of ANSWER_OPTIONS) {
      if (option.kind === 'text' || RUN_AT_ONE_VALUE[option.name]) continue;
      if (!applies(option, d)) {
        expect(d[option.name], `${option.name} only exists when its condition holds`).toBeUndefined();
        continue;
      }
      expect(d[option.name], `default of --${option.flag}`).toEqual(effectiveDefault(option, d));
    }
    const all = COMBINATIONS.filter((c) => c.kind === 'everything-on');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ celery: true, beat: true, whitenoise: true });
    expect(all[0]!.cache).not.toBe('none');
  });

  it('breaks none of the declared rules between answers', () => {
    for (const c of COMBINATIONS) expect(() => checkRules({ python: PYTHON, django: DJANGO, ...expectedAnswers(c) }), c.name).not.toThrow();
  });

  it('passes consistent flags: --beat and --broker only with --celery', () => {
    for (const c of COMBINATIONS) {
      const args = cliArgs(c);
      expect(args.slice(0, 6)).toEqual([c.name, '--yes', '--python', PYTHON, '--django', DJANGO]);
      if (!c.celery) {
        expect(c.broker).toBeUndefined();
        expect(c.beat).toBeUndefined();
        expect(args.some((a) => /^--(no-)?beat$|^--broker$/.test(a))).toBe(false);
      } else {
        expect(args).toContain('--celery');
        expect(args[args.indexOf('--broker') + 1]).toBe(c.broker);
      }
    }
  });

  it('has unique project names that can become Python packages', () => {
    const names = COMBINATIONS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]{2,40}$/);
  });

  it('is deterministic and small', () => {
    expect(pairwiseRows([3, 3, 3, 3])).toEqual(pairwiseRows([3, 3, 3, 3]));
    // 9 rows is the optimum for 4 factors of 3 values; greedy may need a row or two more
    expect(pairwiseRows([3, 3, 3, 3]).length).toBeLessThanOrEqual(11);
    console.log(
      `e2e covering set: ${COMBINATIONS.length} combinations\n  ` +
        COMBINATIONS.map((c) => `${c.name.padEnd(34)} ${c.flags.join(' ') || '(defaults)'}`).join('\n  '),
    );
  });

  it('the image is built and run for a subset that covers every server, database, broker and WhiteNoise on/off, everything-on among them', () => {
    const names = CONTAINER_COMBINATIONS.map((c) => c.name);
    expect(names).toContain('everything-on');
    expect(CONTAINER_COMBINATIONS.length).toBeGreaterThanOrEqual(3);
    expect(new Set(CONTAINER_COMBINATIONS.map((c) => c.server))).toEqual(new Set(SERVERS));
    expect(new Set(CONTAINER_COMBINATIONS.map((c) => c.database))).toEqual(new Set(DATABASES));
    expect(new Set(CONTAINER_COMBINATIONS.filter((c) => c.celery).map((c) => c.broker))).toEqual(new Set(BROKERS.filter((b) => b !== 'none')));
    expect(new Set(CONTAINER_COMBINATIONS.map((c) => c.whitenoise))).toEqual(new Set([true, false]));
    expect(CONTAINER_COMBINATIONS.some((c) => c.celery && c.beat)).toBe(true);
  });
});

