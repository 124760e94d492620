import { describe, expect, it } from 'vitest';
import { ANSWER_OPTIONS, RUN_OPTIONS, flagUsage } from '../../core/options.js';

describe('option declarations', () => {
  it('declare every option of the issue table exactly once, with unique flags', () => {
    const flags = [...ANSWER_OPTIONS.map((o) => o.flag), ...RUN_OPTIONS.map((o) => o.flag)];
    expect(new Set(flags).size).toBe(flags.length);
    expect(flags).toEqual([
      'project-name', 'description', 'author-name', 'author-email', 'python', 'django', 'database', 'cache',
      'celery', 'beat', 'broker', 'server', 'whitenoise', 'kubernetes', 'yes', 'skip-install', 'skip-git',
    ]);
  });

  it('have defaults that are among their own choices', () => {
    for (const option of ANSWER_OPTIONS) {
      if (option.kind !== 'choice') continue;
      const partial = { celery: true };
      expect(option.choices.map((c) => c.value)).toContain(option.default(partial));
    }
  });

  it('give the documented defaults', () => {
    const defaults = Object.fromEntries(ANSWER_OPTIONS.map((o) => [o.name, o.default({ celery: true })]));
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
  });
});
