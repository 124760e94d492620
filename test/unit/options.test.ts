import { describe, expect, it } from 'vitest';
import { ANSWER_OPTIONS, RUN_OPTIONS, conditionText, flagUsage, optionByName } from '../../core/options.js';

describe('option declarations', () => {
  it('declare every option of the issue table exactly once, with unique flags', () => {
    const flags = [...ANSWER_OPTIONS.map((o) => o.flag), ...RUN_OPTIONS.map((o) => o.flag)];
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toEqual([
      'name', 'description', 'author-name', 'author-email', 'python', 'django', 'database', 'cache',
      'celery', 'beat', 'broker', 'server', 'whitenoise', 'kubernetes', 'yes', 'skip-install', 'skip-git',
    ]);
  });

  it('have defaults that are among their own choices', () => {
    for (const option of ANSWER_OPTIONS) {
      if (option.kind !== 'choice') continue;
      expect(option.choices.map((c) => c.value)).toContain(option.default);
    }
  });

  it('give the documented defaults', () => {
    const defaults = Object.fromEntries(ANSWER_OPTIONS.map((o) => [o.name, o.default]));
    expect(defaults).toMatchObject({
      python: '3.13', django: '5.2', database: 'postgres', cache: 'redis', celery: false, beat: true,
      broker: 'redis', server: 'gunicorn', whitenoise: true, kubernetes: false,
    });
  });

  it('show how each is written on the command line', () => {
    const database = ANSWER_OPTIONS.find((o) => o.name === 'database')!;
    const celery = ANSWER_OPTIONS.find((o) => o.name === 'celery')!;
    expect(flagUsage(database)).toBe('--database <postgres|mysql|sqlite>');
    expect(flagUsage(celery)).toBe('--celery / --no-celery');
    expect(flagUsage(optionByName('projectName'))).toBe('the project name');
  });

  it('state rules only on options declared above, with values those options have', () => {
    // Answers resolve in declaration order: a rule or condition must only look back.
    ANSWER_OPTIONS.forEach((option, at) => {
      const conditions = [...(option.when ? [option.when] : []), ...(option.rules ?? []).map((r) => r.needs)];
      for (const condition of conditions) {
        for (const [name, values] of Object.entries(condition)) {
          const other = ANSWER_OPTIONS.findIndex((o) => o.name === name);
          expect(other, `${option.name} names ${name}`).toBeGreaterThanOrEqual(0);
          expect(other, `${option.name} names ${name}, declared after it`).toBeLessThan(at);
          const known = ANSWER_OPTIONS[other]!.kind === 'boolean' ? [true, false] : ANSWER_OPTIONS[other]!.kind === 'choice' ? (ANSWER_OPTIONS[other] as { choices: { value: string }[] }).choices.map((c) => c.value) : [];
          for (const v of values) expect(known, `${option.name}: ${name} has no value ${String(v)}`).toContain(v);
        }
        expect(conditionText(condition)).toMatch(/^--/);
      }
      for (const rule of option.rules ?? []) {
        const known = option.kind === 'boolean' ? [true, false] : option.kind === 'choice' ? option.choices.map((c) => c.value) : [];
        expect(known, `${option.name}: a rule for a value it does not have`).toContain(rule.value);
      }
    });
  });
});
