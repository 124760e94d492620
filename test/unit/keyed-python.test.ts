/** Python settings modules merge by statement (core/keyed-python.ts through decide()). */
import { describe, expect, test } from 'vitest';
import { parseKeyed, keyedFormat } from '../../core/keyed-merge.js';
import { pythonUnits } from '../../core/keyed-python.js';
import { decide, mergeText } from '../../core/merge.js';
import { render } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

const BASE = 'config/settings/base.py';
const keys = (text: string) => pythonUnits(text)?.filter((u) => u.key !== undefined).map((u) => u.key);

describe('statements and their keys', () => {
  test('what each kind of top-level statement is keyed by', () => {
    const text = [
      '"""Settings."""',
      '',
      'from pathlib import Path',
      'from .base import *  # noqa: F403',
      'from .base import env',
      'import os.path',
      '',
      'DEBUG = env.bool("DJANGO_DEBUG", default=False)',
      'TIMEOUT: int = 5',
      'INSTALLED_APPS += ["orders"]',
      'DATABASES["default"]["CONN_MAX_AGE"] = 60',
      'A = B = 1',
      'vars().update(EMAIL_CONFIG)',
      'if DEBUG == True:  # a comment',
      '    X = 1',
      'elif os.environ.get("Y"):',
      '    X = 2',
      'else:',
      '    X = 3',
      '@decorator(1)',
      'def helper(a, b=2):',
      '    return a',
      'class Router:',
      '    pass',
      'try:',
      '    import debug_toolbar  # noqa: F401',
      'except ImportError:',
      '    pass',
      '',
    ].join('\n');
    expect(keys(text)).toEqual([
      '__doc__',
      'from pathlib import',
      'from .base import *',
      'from .base import',
      'import os.path',
      'DEBUG',
      'TIMEOUT',
      'INSTALLED_APPS +=',
      'DATABASES["default"]["CONN_MAX_AGE"]',
      'A',
      'vars().update',
      'if DEBUG == True',
      'def helper',
      'class Router',
      'try',
    ]);
  });

  test('a statement spans brackets, strings, continuations and its block; comments above belong to it', () => {
    const text = [
      'X = [',
      '    "a",  # ]',
      '',
      '    "b",',
      ']',
      'Y = """one',
      'two ) ] }',
      '"""',
      'Z = 1 + \\',
      '    2',
      '# About W.',
      'if W:',
      '    Q = 1',
      '',
      '    # still the block',
      '    R = 2',
      '# not the block: above V',
      'V = 3',
      '',
    ].join('\n');
    const parsed = parseKeyed(text, keyedFormat(BASE)!)!;
    expect(parsed.entries.map((e) => [e.key, e.comments, e.body])).toEqual([
      ['X', '', 'X = [\n    "a",  # ]\n\n    "b",\n]\n'],
      ['Y', '', 'Y = """one\ntwo ) ] }\n"""\n'],
      ['Z', '', 'Z = 1 + \\\n    2\n'],
      ['if W', '# About W.\n', 'if W:\n    Q = 1\n\n    # still the block\n    R = 2\n'],
      ['V', '# not the block: above V\n', 'V = 3\n'],
    ]);
  });

  test('what cannot be followed safely is not keyed: the line merge takes over', () => {
    expect(pythonUnits('X = [\n    1,\n')).toBeUndefined(); // unclosed bracket
    expect(pythonUnits('X = """open\n')).toBeUndefined(); // unclosed string
    expect(pythonUnits('X = 1\n    Y = 2\n')).toBeUndefined(); // indented with no block above
    expect(parseKeyed('X = 1\nX = 2\n', keyedFormat(BASE)!)).toBeUndefined(); // a key twice
    const ours = 'X = 1\nX = 2\nZ = 3\n';
    const action = decide('X = 1\nX = 2\n', 'X = 1\nX = 2\nY = 0\n', ours, BASE);
    expect(action).toMatchObject({ kind: 'write', content: mergeText(ours, 'X = 1\nX = 2\n', 'X = 1\nX = 2\nY = 0\n').content, conflict: expect.any(String) });
  });

  test('every settings module the generator writes is keyed, each key once (none falls back to lines)', async () => {
    const sets: Record<string, unknown>[] = [{ python: '3.12', django: '6.1', celery: true, kubernetes: true }];
    for (const database of ['postgres', 'mysql', 'sqlite'])
      for (const cache of ['redis', 'memcached', 'none'])
        for (const broker of [undefined, 'redis', 'rabbitmq'])
          for (const whitenoise of [true, false]) sets.push({ database, cache, whitenoise, ...(broker ? { celery: true, broker } : { celery: false }) });
    for (const flags of sets) {
      const files = render(await answersFor(flags), templates);
      const modules = [...files.keys()].filter((f) => keyedFormat(f)?.name === 'Python settings module');
      expect(modules.length).toBeGreaterThanOrEqual(4);
      for (const file of modules) expect(parseKeyed(files.get(file)!, keyedFormat(file)!), `${file} ${JSON.stringify(flags)}`).toBeDefined();
    }
  });
});

describe('the issue scenario: a setting appended to base.py, then Celery', () => {
  test('both kept, no conflict; the user’s setting stays last, Celery’s block comes after its predecessor', async () => {
    const [without, withCelery] = await Promise.all([
      answersFor({ celery: false, whitenoise: false }).then((a) => render(a, templates).get(BASE)!),
      answersFor({ celery: true, whitenoise: false }).then((a) => render(a, templates).get(BASE)!),
    ]);
    const setting = '\n# How long finished orders are kept.\nORDER_RETENTION_DAYS = env.int("ORDER_RETENTION_DAYS", default=90)\n';
    const ours = without + setting;
    const action = decide(without, withCelery, ours, BASE);
    expect(action).toEqual({ kind: 'write', content: withCelery + setting });
    // A line merge calls the same edit a conflict: the bug this fixes.
    expect(mergeText(ours, without, withCelery).conflict).toBe(true);
  });

  test('the generator’s new comment and the user’s new value of the same statement: both, no conflict', () => {
    const base = 'X = 1\n\n# Old words.\nDEBUG = False\n';
    const ours = 'X = 1\n\n# Old words.\nDEBUG = True\n';
    const theirs = 'X = 1\n\n# New words.\nDEBUG = False\nY = 2\n';
    expect(decide(base, theirs, ours, BASE)).toEqual({ kind: 'write', content: 'X = 1\n\n# New words.\nDEBUG = True\nY = 2\n' });
  });

  test('a list both sides add to in different places: one statement, merged by line inside it', () => {
    const base = 'APPS = [\n    "a",\n    "b",\n    "c",\n]\n';
    const ours = 'APPS = [\n    "orders",\n    "a",\n    "b",\n    "c",\n]\n';
    const theirs = 'APPS = [\n    "a",\n    "b",\n    "c",\n    "csp",\n]\n';
    expect(decide(base, theirs, ours, BASE)).toEqual({ kind: 'write', content: 'APPS = [\n    "orders",\n    "a",\n    "b",\n    "c",\n    "csp",\n]\n' });
  });

  test('the same statement changed both ways: markers around its changed lines only, the rest merges', () => {
    const base = 'A = 1\nif B:\n    C = 1\n';
    const ours = 'A = 1\nif B:\n    C = 2\nMINE = 1\n';
    const theirs = 'A = 1\nif B:\n    C = 3\nTHEIRS = 1\n';
    expect(decide(base, theirs, ours, BASE)).toEqual({
      kind: 'write',
      content: 'A = 1\nif B:\n<<<<<<< yours\n    C = 2\n=======\n    C = 3\n>>>>>>> twelve-django\nTHEIRS = 1\nMINE = 1\n',
      conflict: expect.stringContaining('resolve the markers'),
    });
  });

  test('a statement the generator removes goes; one the user removed stays removed', () => {
    expect(decide('A = 1\nB = 2\n', 'A = 1\n', 'A = 1\nB = 2\nC = 3\n', BASE)).toEqual({ kind: 'write', content: 'A = 1\nC = 3\n' });
    expect(decide('A = 1\nB = 2\n', 'A = 1\nB = 2\nD = 4\n', 'A = 1\n', BASE)).toEqual({ kind: 'write', content: 'A = 1\nD = 4\n' });
  });
});
