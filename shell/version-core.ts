/**
 * The core of the generator version that made a project, to render the base of a merge exactly as that version
 * wrote it. This version's own core is at hand; an earlier one is that exact package, installed by npm into a cache
 * directory (`$TWELVE_DJANGO_CACHE_DIR`, else `${XDG_CACHE_HOME:-~/.cache}/twelve-django`), one directory per
 * version, and used offline from then on. Its own lib/core renders with its own templates.
 *
 * What every released version provides for this (keep it): lib/core/answers.js `checkStoredAnswers(entry)`,
 * lib/core/render.js `render(answers, templates)` and `renderLocalEnv(answers, templates, secret)`,
 * lib/shell/templates.js `loadTemplates()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, checkStoredAnswers } from '../core/answers.js';
import type { Answers } from '../core/options.js';
import { STORAGE_KEY, render, renderLocalEnv, type Templates } from '../core/render.js';
import { GENERATOR_VERSION } from '../core/version.js';
import { loadTemplates } from './templates.js';

export interface VersionCore {
  version: string;
  /** The stored `.yo-rc.json` entry, read the way that version reads it. */
  answers(entry: Record<string, unknown>): Answers;
  render(answers: Answers): Map<string, string>;
  renderLocalEnv(answers: Answers, secret: string): string;
}

export function ownCore(): VersionCore {
  const templates = loadTemplates();
  return {
    version: GENERATOR_VERSION,
    answers: (entry) => checkStoredAnswers(entry),
    render: (answers) => render(answers, templates),
    renderLocalEnv: (answers, secret) => renderLocalEnv(answers, templates, secret),
  };
}

export function cacheRoot(): string {
  const env = process.env;
  if (env.TWELVE_DJANGO_CACHE_DIR) return path.resolve(env.TWELVE_DJANGO_CACHE_DIR);
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'twelve-django');
}

/** Where version `version` of the package sits once installed in the cache. */
export function cachedPackage(version: string, root = cacheRoot()): string {
  return path.join(root, version, 'node_modules', STORAGE_KEY);
}

/** The core of `version`: this one's, or the cached package's (installed by npm first when missing). */
export async function coreOf(version: string, log: (line: string) => void = () => {}): Promise<VersionCore> {
  if (version === GENERATOR_VERSION) return ownCore();
  const dir = cachedPackage(version);
  if (!isPackage(dir, version)) {
    log(`Fetching ${STORAGE_KEY}@${version} (the version that made this project) with npm into ${path.join(cacheRoot(), version)}, once`);
    install(version);
  }
  const load = (file: string) => import(pathToFileURL(path.join(dir, 'lib', file)).href);
  const [answers, rendering, templating] = await Promise.all([load('core/answers.js'), load('core/render.js'), load('shell/templates.js')]);
  const templates = (templating.loadTemplates as () => Templates)();
  return {
    version,
    answers: answers.checkStoredAnswers,
    render: (a) => rendering.render(a, templates),
    renderLocalEnv: (a, secret) => rendering.renderLocalEnv(a, templates, secret),
  };
}

function isPackage(dir: string, version: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version === version;
  } catch {
    return false;
  }
}

/** `npm install generator-twelve-django@<version>` into the cache, atomically: a half install is never used. */
function install(version: string): void {
  const root = cacheRoot();
  const spec = `${STORAGE_KEY}@${version}`;
  const fail = (why: string) =>
    new InputError(
      `this project was made by ${spec}, which is needed to tell your edits from its own files, and npm could not install it (${why}): ` +
        `connect to the npm registry and run again (it is kept in ${root} for offline use), or set TWELVE_DJANGO_CACHE_DIR to a directory holding ${version}/node_modules/${STORAGE_KEY}`,
    );
  let staging: string;
  try {
    mkdirSync(root, { recursive: true });
    staging = mkdtempSync(path.join(root, `.${version}-`));
  } catch (error) {
    throw fail((error as Error).message);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', spec, '--prefix', staging, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'];
  const result = spawnSync(npm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
  const installed = path.join(staging, 'node_modules', STORAGE_KEY);
  if (result.error || result.status !== 0 || !isPackage(installed, version)) {
    rmSync(staging, { recursive: true, force: true });
    const reason = result.error
      ? (result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'npm is not on PATH'
        : result.error.message
      : (result.stderr.split('\n').find((l) => /npm (error|ERR!) /.test(l) && !/A complete log/.test(l)) ?? `exit code ${result.status}`).replace(/^npm (error|ERR!) /, '');
    throw fail(reason);
  }
  const target = path.join(root, version);
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}
