/** pyproject.toml merges by key, dependencies by package (core/keyed-toml.ts through decide()). */
import { describe, expect, test } from 'vitest';
import { keyedFormat, parseKeyed } from '../../core/keyed-merge.js';
import { packageName, tomlUnits } from '../../core/keyed-toml.js';
import { decide, mergeText } from '../../core/merge.js';
import { render } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

const FILE = 'pyproject.toml';
const keys = (text: string) => tomlUnits(text)?.filter((u) => u.key !== undefined).map((u) => u.key);
const project = (deps: string[], dev = ['"ruff>=0.17"']) =>
  `[project]\nname = "shop"\ndependencies = [\n${deps.map((d) => `    ${d},\n`).join('')}]\n\n[dependency-groups]\ndev = [\n${dev.map((d) => `    ${d},\n`).join('')}]\n\n[tool.ruff]\nline-length = 88\n`;

describe('keys', () => {
  test('tables, keys, and each dependency by the package it names', () => {
    expect(keys(project(['"Django>=5.2,<5.3"', '"celery[redis]>=5.7.0"', "'zope.interface>=7 ; python_version >= \"3.12\"'"]))).toEqual([
      '[project]',
      'project.name',
      'project.dependencies',
      'project.dependencies[django]',
      'project.dependencies[celery]',
      'project.dependencies[zope-interface]',
      'project.dependencies]',
      '[dependency-groups]',
      'dependency-groups.dev',
      'dependency-groups.dev[ruff]',
      'dependency-groups.dev]',
      '[tool.ruff]',
      'tool.ruff.line-length',
    ]);
    expect(packageName('Zope_Interface[x]>=1')).toBe('zope-interface');
  });

  test('arrays of tables are numbered; what cannot be keyed line by line falls back', () => {
    expect(keys('[[tool.uv.index]]\nname = "a"\n[[tool.uv.index]]\nname = "b"\n')).toEqual(['[tool.uv.index#1]', 'tool.uv.index#1.name', '[tool.uv.index#2]', 'tool.uv.index#2.name']);
    expect(tomlUnits('description = """two\nlines"""\n')).toBeUndefined();
    expect(tomlUnits('x = [\n    [\n        1,\n    ],\n]\n')).toBeUndefined();
    expect(tomlUnits('x = [\n    1,\n')).toBeUndefined();
    expect(parseKeyed(project(['"pillow>=11"', '"Pillow>=12"']), keyedFormat(FILE)!)).toBeUndefined(); // one package twice
  });

  test('every pyproject.toml the generator writes is keyed', async () => {
    for (const flags of [{}, { celery: true, database: 'mysql', server: 'granian' }, { database: 'sqlite', cache: 'none', whitenoise: false, server: 'uvicorn' }]) {
      const text = render(await answersFor(flags), templates).get(FILE)!;
      expect(parseKeyed(text, keyedFormat(FILE)!), JSON.stringify(flags)).toBeDefined();
    }
  });
});

describe('the issue scenario: `uv add` next to a dependency a feature adds', () => {
  test('both kept, no conflict, the sorted list stays sorted', () => {
    const base = project(['"django>=5.2"', '"redis>=8.1.0"']);
    // uv add sentry-sdk: sorted, right after redis; the feature adds whitenoise right after redis too.
    const ours = project(['"django>=5.2"', '"redis>=8.1.0"', '"sentry-sdk>=2.0"']);
    const theirs = project(['"django>=5.2"', '"redis>=8.1.0"', '"whitenoise[brotli]>=6.12.0"']);
    expect(decide(base, theirs, ours, FILE)).toEqual({ kind: 'write', content: project(['"django>=5.2"', '"redis>=8.1.0"', '"sentry-sdk>=2.0"', '"whitenoise[brotli]>=6.12.0"']) });
    // The line merge calls it a conflict: the bug this fixes.
    expect(mergeText(ours, base, theirs).conflict).toBe(true);
  });

  test('a list the user did not keep sorted: the feature’s dependency goes right after its predecessor', () => {
    const base = project(['"django>=5.2"', '"redis>=8.1.0"']);
    const ours = project(['"django>=5.2"', '"redis>=8.1.0"', '"aiohttp>=3"']);
    const theirs = project(['"celery>=5.7"', '"django>=5.2"', '"redis>=8.1.0"']);
    expect(decide(base, theirs, ours, FILE)).toEqual({ kind: 'write', content: project(['"celery>=5.7"', '"django>=5.2"', '"redis>=8.1.0"', '"aiohttp>=3"']) });
  });

  test('the same package changed both ways is the one conflict; a bump on one side alone applies', () => {
    const base = project(['"django>=5.2"', '"redis>=8.1.0"']);
    const ours = project(['"django>=5.2"', '"redis>=9"', '"pillow>=11"']);
    const theirs = project(['"celery[redis]>=5.7"', '"django>=5.2"', '"redis>=8.2"']);
    const action = decide(base, theirs, ours, FILE);
    expect(action).toMatchObject({ kind: 'write', conflict: expect.stringContaining('resolve the markers') });
    if (action.kind !== 'write') throw new Error('unreachable');
    expect(action.content).toContain('    "celery[redis]>=5.7",\n    "django>=5.2",\n<<<<<<< yours\n    "redis>=9",\n=======\n    "redis>=8.2",\n>>>>>>> twelve-django\n    "pillow>=11",\n');
    expect(action.content.split('<<<<<<<')).toHaveLength(2);
    expect(decide(base, project(['"django>=6.0"', '"redis>=8.1.0"']), ours, FILE)).toEqual({ kind: 'write', content: project(['"django>=6.0"', '"redis>=9"', '"pillow>=11"']) });
  });

  test('a dev dependency and a tool setting added on both sides', () => {
    const base = project(['"django>=5.2"']);
    const ours = project(['"django>=5.2"'], ['"django-debug-toolbar>=5"', '"ruff>=0.17"']).replace('line-length = 88\n', 'line-length = 88\nsrc = ["."]\n');
    const theirs = project(['"django>=5.2"'], ['"pytest>=9"', '"ruff>=0.17"']).replace('line-length = 88\n', 'line-length = 88\ntarget-version = "py311"\n');
    expect(decide(base, theirs, ours, FILE)).toEqual({
      kind: 'write',
      content: project(['"django>=5.2"'], ['"django-debug-toolbar>=5"', '"pytest>=9"', '"ruff>=0.17"']).replace('line-length = 88\n', 'line-length = 88\ntarget-version = "py311"\nsrc = ["."]\n'),
    });
  });
});
