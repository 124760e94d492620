/**
 * What every step of one combination shares: its temp directory and project, the environments
 * (clean, production), the resources provisioned for it, and a log of what happened.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toSlug } from '../../../core/slug.js';
import type { Combination } from '../combinations.js';
import { cleanEnv, StepFailure, type Env } from './exec.js';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const CACHE_DIR = path.join(REPO, '.cache');
export const UV_CACHE_DIR = process.env.E2E_UV_CACHE_DIR ?? path.join(CACHE_DIR, 'uv');
/** Host names used in Host headers only: no traffic goes anywhere but 127.0.0.1. */
export const ALLOWED_HOST = 'e2e.example.com';

/** The package's own bin, as package.json declares it (E2E_CLI overrides). */
export function cliPath(): string {
  if (process.env.E2E_CLI) return path.resolve(process.env.E2E_CLI);
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['generator-twelve-django'];
  const declared = bin ? path.join(REPO, bin) : undefined;
  // the package's bin is the truth (npx runs it); lib/shell/cli.js is where the build puts the CLI
  return declared && existsSync(declared) ? declared : path.join(REPO, 'lib/shell/cli.js');
}

/** uv settings every command that may run uv gets: one shared cache, never download a Python. */
export function uvEnv(): Env {
  return { UV_CACHE_DIR, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' };
}

export interface Provisioned {
  databaseUrl?: string;
  /** REDIS_URL or CACHE_URL, whichever the project reads. */
  cacheEnv: Env;
  /** CELERY_BROKER_URL and CELERY_RESULT_BACKEND. */
  brokerEnv: Env;
}

export class Context {
  readonly work: string;
  readonly project: string;
  readonly venvBin: string;
  readonly secret = randomBytes(48).toString('base64url'); // 64 characters
  /** A unique lower-case name for this run's databases and vhosts. */
  readonly resourceName: string;
  readonly cleanups: Array<() => Promise<void>> = [];
  readonly notes: string[] = [];
  provisioned: Provisioned = { cacheEnv: {}, brokerEnv: {} };
  toolsBin = '';

  constructor(
    readonly combo: Combination,
    work: string,
  ) {
    this.work = work;
    this.project = path.join(work, combo.name);
    this.venvBin = path.join(this.project, '.venv', 'bin');
    this.resourceName = `e2e_${combo.name.replace(/-/g, '_')}_${randomBytes(3).toString('hex')}`;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** The caller's environment without the project's variables, plus uv's settings. */
  baseEnv(extra: Env = {}): Env {
    return cleanEnv({ ...uvEnv(), ...extra });
  }

  /** The venv's bin first on PATH, as `uv run` or an activated venv would have it. */
  venvEnv(extra: Env = {}): Env {
    const base = this.baseEnv();
    return { ...base, VIRTUAL_ENV: path.join(this.project, '.venv'), PATH: `${this.venvBin}:${base.PATH ?? ''}`, ...extra };
  }

  /** Production settings, every variable given explicitly (no .env is read). */
  prodEnv(extra: Env = {}): Env {
    return this.venvEnv({
      DJANGO_SETTINGS_MODULE: 'config.settings.production',
      DJANGO_SECRET_KEY: this.secret,
      DATABASE_URL: this.provisioned.databaseUrl,
      DJANGO_ALLOWED_HOSTS: ALLOWED_HOST,
      DJANGO_CSRF_TRUSTED_ORIGINS: `https://${ALLOWED_HOST}`,
      DJANGO_LOG_LEVEL: 'INFO',
      WEB_CONCURRENCY: '2',
      ...this.provisioned.cacheEnv,
      ...this.provisioned.brokerEnv,
      ...extra,
    });
  }

  file(rel: string): string {
    return path.join(this.project, rel);
  }

  exists(rel: string): boolean {
    return existsSync(this.file(rel));
  }

  read(rel: string): string {
    return readFileSync(this.file(rel), 'utf8');
  }

  /** The Python package the project's name became (the generator's own rule), checked to be there. */
  slug(): string {
    const slug = toSlug(this.combo.name);
    if (!existsSync(path.join(this.project, slug, 'apps.py'))) throw new StepFailure(`the project has no ${slug}/apps.py: the package its name "${this.combo.name}" becomes`);
    return slug;
  }

  /** The Procfile's process types. */
  procfile(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of this.read('Procfile').split('\n')) {
      const m = /^([A-Za-z0-9_-]+):\s*(.+?)\s*$/.exec(line);
      if (m) out[m[1]!] = m[2]!;
    }
    return out;
  }
}
