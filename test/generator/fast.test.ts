/**
 * The bin's Yeoman-free path (runs that can never prompt) against the Yeoman path: same options parsed the same
 * way, same trees, same modes, same merges and conflicts, same help text.
 */
import path from 'node:path';
import { createEnv } from 'yeoman-environment';
import { describe, expect, test } from 'vitest';
import { canRunFast, parseOptions } from '../../shell/fast.js';
import { GENERATOR_NAMES, SPECS, allOptions, type GeneratorName } from '../../core/generators.js';
import { helpText } from '../../shell/help.js';
import { GENERATORS, ROOT, cli, edit, executables, expectSameTree, localEnv, readTree, run, tempDir } from '../subgenerators/helpers.js';

const OPTION_SETS = [
  [],
  ['--database', 'mysql', '--cache', 'memcached', '--celery', '--broker', 'rabbitmq', '--no-beat', '--server', 'granian', '--no-whitenoise'],
  ['--database=sqlite', '--cache=none', '--celery', '--server=uvicorn', '--python', '3.12', '--django', '6.1', '--author-email', 'a@b.example'],
];

/** The options Yeoman's generator ends up with for these arguments. */
async function yeomanOptions(name: GeneratorName, args: string[]): Promise<Record<string, unknown>> {
  const env = createEnv({ cwd: tempDir('opts') } as never);
  env.register(path.join(GENERATORS, name, 'index.js'), { namespace: `twelve-django:${name}`, packagePath: ROOT });
  const generator = (await env.create(`twelve-django:${name}`, { generatorArgs: args } as never)) as unknown as { options: Record<string, unknown> };
  const names = new Set([...allOptions(SPECS[name]).map((o) => o.name), 'projectName']);
  return Object.fromEntries(Object.entries(generator.options).filter(([k, v]) => names.has(k) && v !== undefined));
}

describe('fast path == Yeoman path', { timeout: 60_000 }, () => {
  test.for([
    ['app', ['my-site', '--yes']],
    ['app', ['my-site', '--yes', '--no-celery', '--beat', '--database', '--whitenoise=false', '-h']],
    ['app', ['123', '--celery', 'false', '--skip-install', '--skip-git', '--broker=rabbitmq', '--extra', 'x']],
    ['celery', ['--no-beat', '--broker', 'redis', '--skip-install']],
    ['whitenoise', ['--yes']],
    ['update', ['--skip-install']],
  ] as [GeneratorName, string[]][])('%s %j parses to the same options', async ([name, args]) => {
    expect(parseOptions(name, args)).toEqual(await yeomanOptions(name, args));
  });

  test.for(GENERATOR_NAMES)('%s --help is the text Yeoman prints', async (name) => {
    const env = createEnv({ cwd: tempDir('help') } as never);
    env.register(path.join(GENERATORS, name, 'index.js'), { namespace: `twelve-django:${name}`, packagePath: ROOT });
    const generator = (await env.create(`twelve-django:${name}`, { generatorArgs: ['--help'] } as never)) as unknown as { help(): string };
    expect(helpText(name)).toBe(generator.help());
  });

  test('only a run that could prompt goes through Yeoman', () => {
    expect(canRunFast('app', ['my-site'], false)).toBe(true); // no terminal: never asks
    expect(canRunFast('app', ['my-site', '--yes'], true)).toBe(true);
    expect(canRunFast('update', [], true)).toBe(true); // asks nothing
    expect(canRunFast('app', ['my-site'], true)).toBe(false);
    expect(canRunFast('app', ['my-site', '--no-yes'], true)).toBe(false);
    expect(canRunFast('celery', ['--broker', 'redis'], true)).toBe(false);
  });

  test.for(OPTION_SETS.map((flags) => ({ flags, label: flags.join(' ') || 'defaults' })))('generating $label: the same tree, modes and local .env', async ({ flags }) => {
    const [fast, yeoman] = [tempDir('fast'), tempDir('yeoman')];
    const [a, b] = await Promise.all([
      cli(fast, ['shop', '--yes', '--skip-install', '--skip-git', ...flags]),
      run(yeoman, ['shop', '--yes', '--skip-install', '--skip-git', ...flags]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expectSameTree(readTree(path.join(fast, 'shop')), readTree(path.join(yeoman, 'shop')));
    expect(executables(path.join(fast, 'shop'))).toEqual(executables(path.join(yeoman, 'shop')));
    expect(localEnv(path.join(fast, 'shop'))).toBe(localEnv(path.join(yeoman, 'shop')));
    // The same lines a user reads, Yeoman's `create` lines included.
    const lines = (text: string) => text.split('\n').filter((l) => /^\s+create |^Python package|^Done/.test(l)).sort();
    expect(lines(a.stderr)).toEqual(lines(b.stderr).concat(['   create shop/.yo-rc.json']).sort());
  });

  test('a subgenerator with user edits and a conflict: the same files, the same report, exit 1 both ways', async () => {
    const [fast, yeoman] = [tempDir('fast'), tempDir('yeoman')];
    await Promise.all([run(fast, ['shop', '--yes', '--skip-install', '--skip-git']), run(yeoman, ['shop', '--yes', '--skip-install', '--skip-git'])]);
    for (const dir of [fast, yeoman]) {
      const project = path.join(dir, 'shop');
      edit(project, { file: 'Procfile', find: 'config.wsgi\n', replace: 'config.wsgi\nworker: python manage.py rqworker\nreport: python manage.py report\n' });
      edit(project, { file: 'config/settings/base.py', find: 'INSTALLED_APPS = [\n', replace: 'INSTALLED_APPS = [\n    "orders",\n' });
    }
    const [a, b] = await Promise.all([cli(path.join(fast, 'shop'), ['celery', '--yes', '--skip-install']), run(path.join(yeoman, 'shop'), ['celery', '--yes', '--skip-install'])]);
    expect([a.code, b.code]).toEqual([1, 1]);
    const report = (text: string) => text.split('\n').filter((l) => /^\s{2}\S.*: |^generator-twelve-django: /.test(l));
    expect(report(a.stderr)).toEqual(report(b.stderr));
    expect(report(a.stderr)).toContain('  Procfile: both you and the generator changed the same lines: resolve the markers');
    expectSameTree(readTree(path.join(fast, 'shop')), readTree(path.join(yeoman, 'shop')));
  });
});
