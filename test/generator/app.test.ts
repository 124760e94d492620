/** The app generator through yeoman-test: answers in, files out, spawned commands mocked. */
import { tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers, { result } from 'yeoman-test';
import { describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('../../lib/generators/app/index.js', import.meta.url));

const generate = (options: Record<string, unknown>, args: string[] = ['my-site'], inDir?: string) =>
  (inDir ? helpers.run(APP).cd(inDir) : helpers.run(APP)).withArguments(args).withOptions({ skipGit: true, ...options }).withSpawnMock();

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

describe('yo twelve-django', () => {
  it('writes the project into ./<name>, stores the answers, and a git-ignored .env with a fresh secret', async () => {
    await generate({ yes: true, database: 'mysql', celery: true });
    const project = path.join(result.cwd, 'my-site');
    expect(existsSync(path.join(project, 'config/settings/production.py'))).toBe(true);
    expect(existsSync(path.join(project, 'my_site/tasks.py'))).toBe(true);
    const rc = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'))['generator-twelve-django'];
    expect(rc).toMatchObject({ projectName: 'my-site', database: 'mysql', celery: true, beat: true, broker: 'redis' });
    const secret = /^DJANGO_SECRET_KEY=(.+)$/m.exec(readFileSync(path.join(project, '.env'), 'utf8'))![1]!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(readFileSync(path.join(project, '.gitignore'), 'utf8')).toMatch(/^\.env$/m);
    expect(statSync(path.join(project, 'release.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(path.join(project, 'manage.py')).mode & 0o111).not.toBe(0);
  });

  it('runs uv lock through Yeoman spawn unless --skip-install', async () => {
    await generate({ yes: true });
    const calls = result.getSpawnArgsUsingDefaultImplementation();
    expect(calls.map((c) => [c[1], c[2]])).toContainEqual(['uv', ['lock']]);
    await generate({ yes: true, skipInstall: true });
    expect(result.getSpawnArgsUsingDefaultImplementation().map((c) => c[1])).not.toContain('uv');
  });

  it('without uv, says what to do in one line, exits non-zero, and keeps the files', async () => {
    const missing = (method: string, command: string) =>
      method === 'spawn' && command === 'uv'
        ? Promise.reject(Object.assign(new Error('spawn uv ENOENT'), { code: 'ENOENT' }))
        : Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
    const context = helpers.run(APP).withArguments(['my-site']).withOptions({ yes: true, skipGit: true }).withSpawnMock(missing);
    await expect(context).rejects.toThrow('uv is not installed: install it (`pip install uv`), then run `uv lock` in the project');
    expect(existsSync(path.join(context.targetDirectory!, 'my-site', 'pyproject.toml'))).toBe(true);
  });

  it('git-inits and commits unless --skip-git', async () => {
    await helpers.run(APP).withArguments(['my-site']).withOptions({ yes: true, skipInstall: true }).withSpawnMock();
    const commands = result.getSpawnArgsUsingDefaultImplementation().map((c) => [c[1], ...(c[2] as string[])].join(' '));
    expect(commands).toContain('git init --quiet');
    expect(commands).toContain('git add --all');
    expect(commands.some((c) => c.startsWith('git') && c.includes('commit --quiet -m Initial commit from generator-twelve-django'))).toBe(true);
  });

  it('asks the questions when there is a terminal to answer them', async () => {
    await helpers
      .run(APP)
      .withArguments(['shop'])
      .withOptions({ skipGit: true, skipInstall: true })
      .withAnswers({ description: 'A shop', database: 'sqlite', cache: 'none', celery: true, beat: false, broker: 'rabbitmq', server: 'granian' })
      .withSpawnMock();
    const rc = JSON.parse(readFileSync(path.join(result.cwd, 'shop/.yo-rc.json'), 'utf8'))['generator-twelve-django'];
    expect(rc).toMatchObject({ description: 'A shop', database: 'sqlite', cache: 'none', celery: true, beat: false, broker: 'rabbitmq', server: 'granian' });
  });

  it.each([
    ['as the argument', (run: ReturnType<typeof helpers.run>) => run.withArguments(['My Shop']).withOptions({ yes: true })],
    ['at the prompt', (run: ReturnType<typeof helpers.run>) => run.withAnswers({ projectName: 'My Shop' })],
  ])('a name with spaces given %s: directory my-shop, package my_shop, the name as typed where people read it', async (_how, give) => {
    await give(helpers.run(APP)).withOptions({ skipGit: true, skipInstall: true }).withSpawnMock();
    expect(readdirSync(result.cwd)).toEqual(['my-shop']);
    const project = path.join(result.cwd, 'my-shop');
    expect(existsSync(path.join(project, 'my_shop', 'apps.py'))).toBe(true);
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toMatch(/^# My Shop\n/);
    expect(readFileSync(path.join(project, 'pyproject.toml'), 'utf8')).toContain('name = "my-shop"');
    expect(readFileSync(path.join(project, 'my_shop', 'apps.py'), 'utf8')).toContain('verbose_name = "My Shop"');
    const rc = JSON.parse(readFileSync(path.join(project, '.yo-rc.json'), 'utf8'))['generator-twelve-django'];
    expect(rc.projectName).toBe('My Shop');
  });

  it.each([
    [{ database: 'oracle' }, ['my-site'], '--database "oracle" is not a choice'],
    [{ beat: true }, ['my-site'], '--beat is only with --celery'],
    [{ django: '6.1', python: '3.11' }, ['my-site'], 'needs --python 3.12, 3.13 or 3.14, got --python 3.11'],
    [{}, ['import'], '"import" is a Python keyword'],
    [{}, ['django'], 'it would shadow Django'],
    [{}, ['json'], 'standard-library module'],
    [{ databse: 'mysql' }, ['my-site'], 'unknown option --databse'],
  ])('refuses %j %j and writes nothing', async (options, args, message) => {
    const run = helpers.run(APP).withArguments([...args, ...Object.keys(options).filter((k) => k === 'databse').map((k) => `--${k}=mysql`)]);
    const flags = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'databse'));
    const context = run.withOptions({ yes: true, skipGit: true, ...flags }).withSpawnMock();
    await expect(context).rejects.toThrow(message);
    expect(readdirSync(context.targetDirectory!)).toEqual([]);
  });

  it('refuses a directory that already holds something else, touching nothing', async () => {
    const run = helpers
      .run(APP)
      .withArguments(['my-site'])
      .withOptions({ yes: true, skipGit: true })
      .doInDir((dir) => {
        mkdirSync(path.join(dir, 'my-site'));
        writeFileSync(path.join(dir, 'my-site', 'notes.txt'), 'mine\n');
      })
      .withSpawnMock();
    await expect(run).rejects.toThrow('directory "my-site" already holds files that are not a twelve-django project');
    expect(tree(path.join(run.targetDirectory!, 'my-site'))).toEqual({ 'notes.txt': 'mine\n' });
  });

  it('run again with the same answers, writes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'twelve-django-'));
    await generate({ yes: true, skipInstall: true }, ['my-site'], dir);
    const project = path.join(dir, 'my-site');
    const before = tree(project);
    const mtimes = Object.keys(before).map((f) => statSync(path.join(project, f)).mtimeMs);
    await generate({ yes: true, skipInstall: true }, ['my-site'], dir);
    expect(tree(project)).toEqual(before);
    expect(Object.keys(before).map((f) => statSync(path.join(project, f)).mtimeMs)).toEqual(mtimes);
  });
});
