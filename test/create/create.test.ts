/**
 * `npm create twelve-django` runs packages/create-twelve-django's bin, which runs the main package's bin. From the
 * packed tarballs of both, laid out as npm installs them (`node_modules/<name>`; the main package's dependencies
 * linked from this checkout): the same arguments give the same tree, the same errors, the same exit codes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT, expectSameTree, localEnv, readTree, tempDir } from '../subgenerators/helpers.js';

const CREATE = path.join(ROOT, 'packages', 'create-twelve-django');
let modules: string;

function sh(command: string, args: string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `npm pack` a package directory, extract the tarball as node_modules/<name>. */
function packInto(dir: string, name: string): string[] {
  const dest = mkdtempSync(path.join(tmpdir(), 'twelve-pack-'));
  const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], dir)) as { filename: string; files: { path: string }[] }[];
  const target = path.join(modules, name);
  mkdirSync(target, { recursive: true });
  sh('tar', ['-xzf', path.join(dest, path.basename(packed[0]!.filename)), '-C', target, '--strip-components=1'], dest);
  return packed[0]!.files.map((f) => f.path);
}

beforeAll(() => {
  modules = path.join(tempDir('npm-create'), 'node_modules');
  packInto(ROOT, 'generator-twelve-django');
  expect(packInto(CREATE, 'create-twelve-django').sort()).toEqual(['README.md', 'index.js', 'package.json']);
  const main = JSON.parse(readFileSync(path.join(modules, 'generator-twelve-django', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(main.dependencies)) {
    mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
  }
}, 120_000);

function bin(which: 'create' | 'main', args: string[]) {
  const cwd = tempDir(which);
  const file =
    which === 'create'
      ? path.join(modules, 'create-twelve-django', (JSON.parse(readFileSync(path.join(modules, 'create-twelve-django', 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['create-twelve-django']!)
      : path.join(modules, 'generator-twelve-django', 'lib', 'shell', 'cli.js');
  const run = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { ...run, cwd };
}

describe('npm create twelve-django', { timeout: 60_000 }, () => {
  test('pins the main package at the main version, and has that version itself', () => {
    const main = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const create = JSON.parse(readFileSync(path.join(CREATE, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    expect(create.version).toBe(main.version);
    expect(create.dependencies).toEqual({ 'generator-twelve-django': main.version });
  });

  test.for([
    ['my-site', '--yes', '--database', 'mysql', '--skip-install', '--skip-git'],
    ['my-site', '--yes', '--celery', '--broker', 'rabbitmq', '--server', 'granian', '--no-whitenoise', '--skip-install', '--skip-git'],
  ])('%s %s %s %s: the same tree as the main bin', (args) => {
    const [create, main] = [bin('create', args), bin('main', args)];
    expect(create.status, create.stderr).toBe(0);
    expect(main.status, main.stderr).toBe(0);
    expect(readdirSync(create.cwd)).toEqual(['my-site']);
    expectSameTree(readTree(path.join(create.cwd, 'my-site')), readTree(path.join(main.cwd, 'my-site')));
    expect(localEnv(path.join(create.cwd, 'my-site'))).toBe(localEnv(path.join(main.cwd, 'my-site')));
    expect(create.stderr).toBe(main.stderr);
  });

  test('bad input: the same one line, exit 1, nothing written', () => {
    const args = ['my-site', '--yes', '--database', 'oracle'];
    const [create, main] = [bin('create', args), bin('main', args)];
    expect(create.status).toBe(1);
    expect(create.stderr).toBe(main.stderr);
    expect(create.stderr).toBe('generator-twelve-django: --database "oracle" is not a choice: use one of postgres, mysql, sqlite\n');
    expect(readdirSync(create.cwd)).toEqual([]);
  });

  test('--help is the main help', () => {
    expect(bin('create', ['--help']).stdout).toBe(bin('main', ['--help']).stdout);
  });
});
