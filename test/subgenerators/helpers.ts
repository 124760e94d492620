/**
 * Drive the built CLI (`lib/shell/cli.js`, the package bin) in temporary directories, the way a user
 * runs it: real exit codes, real stdout/stderr, real files on disk. Build first (`npx tsc -p tsconfig.json`).
 */
import { execaNode } from 'execa';
import { PassThrough } from 'node:stream';
import { TerminalAdapter } from '@yeoman/adapter';
import { createEnv } from 'yeoman-environment';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { GENERATOR_NAMES } from '../../core/generators.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(ROOT, 'lib', 'shell', 'cli.js');
export const GENERATORS = path.join(ROOT, 'lib', 'generators');

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);

export interface Run {
  code: number;
  stdout: string;
  /** Yeoman logs (`create`, `force`, messages) go to stderr; so does the CLI's one-line error. */
  stderr: string;
}

/** The CLI's error line (`generator-twelve-django: ...`), or undefined when there is none. */
export function errorLine(run: Run): string | undefined {
  return run.stderr.split('\n').find((l) => l.startsWith('generator-twelve-django: '));
}

/** `node lib/shell/cli.js ...args` in `cwd`, stdin closed (no terminal: nothing can be asked). */
export async function cli(cwd: string, args: string[]): Promise<Run> {
  const r = await execaNode(CLI, args, { cwd, env: { NO_COLOR: '1', FORCE_COLOR: '0' }, stdin: 'ignore', reject: false, stripFinalNewline: false });
  return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same run in this process (what `cli.ts` does, minus process startup: about 30 ms instead of 700 ms).
 * A real TerminalAdapter on captured streams; stdin is not a TTY here, so nothing is asked, as in CI.
 */
export async function run(cwd: string, args: string[]): Promise<Run> {
  let out = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const adapter = new TerminalAdapter({ stdout: stream as never, stderr: stream as never });
  const env = createEnv({ cwd, adapter } as never);
  for (const generator of GENERATOR_NAMES) {
    env.register(path.join(GENERATORS, generator, 'index.js'), { namespace: `twelve-django:${generator}`, packagePath: ROOT });
  }
  const [first, ...rest] = args;
  const name = GENERATOR_NAMES.find((n) => n !== 'app' && n === first) ?? 'app';
  try {
    await env.run([`twelve-django:${name}`, ...(name === 'app' ? args : rest)]);
    return { code: 0, stdout: '', stderr: out };
  } catch (error) {
    return { code: 1, stdout: '', stderr: `${out}generator-twelve-django: ${(error as Error).message}\n` };
  }
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh, empty temporary directory, removed after the test file. */
export function tempDir(label = 'sub'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `twelve-${label}-`));
  made.push(dir);
  return dir;
}

/** Generate project `name` with `flags` in a fresh directory; returns the project directory. */
export async function generate(flags: string[], name = 'shop'): Promise<string> {
  const parent = tempDir('gen');
  const result = await run(parent, [name, '--yes', '--skip-install', '--skip-git', ...flags]);
  expect(result.code, `generating ${name} ${flags.join(' ')}: ${result.stderr}`).toBe(0);
  return path.join(parent, name);
}

/** Run a subgenerator (`celery`, `whitenoise`) inside a project; never installs. */
export function sub(project: string, name: string, flags: string[]): Promise<Run> {
  return run(project, [name, '--skip-install', ...flags]);
}

/** Every file under `dir` (relative path -> content), without the git-ignored `.env` and `.git`. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (rel === '.env' || rel === '.git' || rel.startsWith('.git/')) continue;
    out.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Files with an executable bit, sorted. */
export function executables(dir: string): string[] {
  return [...readTree(dir).keys()].filter((f) => (statSync(path.join(dir, f)).mode & 0o111) !== 0);
}

/** The git-ignored local `.env` with its random secret blanked out. */
export function localEnv(dir: string): string {
  return readFileSync(path.join(dir, '.env'), 'utf8').replace(/^DJANGO_SECRET_KEY=.*$/m, 'DJANGO_SECRET_KEY=<secret>');
}

/** Path -> mtime in ms plus content, for "nothing was written" checks (the `.env` included). */
export function stamps(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full).split(path.sep).join('/');
    out.set(rel, `${statSync(full).mtimeMs} ${readFileSync(full, 'utf8')}`);
  }
  return out;
}

/** Two trees equal file by file: the same paths, the same bytes (a failure names the first file that differs). */
export function expectSameTree(actual: Map<string, string>, expected: Map<string, string>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [file, content] of expected) expect(actual.get(file), file).toBe(content);
}

export function read(project: string, file: string): string {
  return readFileSync(path.join(project, file), 'utf8');
}

export function write(project: string, file: string, content: string): void {
  writeFileSync(path.join(project, file), content);
}

/** A user's edit: replace the one occurrence of `find` in `file` with `replace`. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

export function applyEdit(content: string, edit: Edit): string {
  const at = content.indexOf(edit.find);
  if (at < 0 || content.indexOf(edit.find, at + 1) >= 0) {
    throw new Error(`${edit.file}: expected exactly one ${JSON.stringify(edit.find)}`);
  }
  return content.slice(0, at) + edit.replace + content.slice(at + edit.find.length);
}

export function edit(project: string, e: Edit): void {
  write(project, e.file, applyEdit(read(project, e.file), e));
}

export const MARKERS = { ours: '<<<<<<< yours', sep: '=======', theirs: '>>>>>>> twelve-django' };

/** Files the feature adds or changes: the paths whose content differs between the two trees. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
}
