/**
 * `twelve-django celery` (= `yo twelve-django:celery`) on projects that exist, through the built CLI.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  MARKERS,
  applyEdit,
  changedFiles,
  cli,
  edit,
  executables,
  localEnv,
  errorLine,
  expectSameTree,
  generate,
  read,
  readTree,
  stamps,
  sub,
  tempDir,
  write,
  type Edit,
} from './helpers.js';

const TIMEOUT = 60_000;

/** Every choice of what `:celery` asks (the registry suite, registry.test.ts, proves the byte-for-byte equality). */
const CHOICES = [
  ['--beat', '--broker', 'redis'],
  ['--beat', '--broker', 'rabbitmq'],
  ['--no-beat', '--broker', 'redis'],
  ['--no-beat', '--broker', 'rabbitmq'],
];

/** Edits a user makes after generating, away from every line Celery adds or changes: they must merge cleanly. */
const FAR: Edit[] = [
  { file: 'config/settings/base.py', find: 'CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])\n', replace: 'CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])\nLANGUAGE_CODE = "de-de"  # ours, far\n' },
  // Two lines above the block Celery inserts: near, but not the same lines.
  { file: 'config/settings/base.py', find: '# Sessions (factor VI): in the database, read through the shared cache.\n', replace: '# Sessions (factor VI): ours, near but not overlapping.\n' },
  { file: 'config/urls.py', find: '    path(settings.ADMIN_URL, admin.site.urls),\n', replace: '    path(settings.ADMIN_URL, admin.site.urls),\n    path("shop/", include("shop.urls")),  # ours\n' },
  { file: 'config/urls.py', find: 'from django.urls import path\n', replace: 'from django.urls import include, path\n' },
  { file: 'pyproject.toml', find: 'version = "0.1.0"', replace: 'version = "1.4.0"' },
  { file: 'pyproject.toml', find: '    "whitenoise[brotli]>=6.12.0",\n', replace: '    "whitenoise[brotli]>=6.12.0",\n    "requests>=2.32",\n' },
  { file: 'Procfile', find: 'release: ./release.sh\n', replace: 'release: ./release.sh  # ours\n' },
  { file: 'docker-compose.yml', find: '"127.0.0.1:5432:5432"', replace: '"127.0.0.1:5433:5432"' },
  { file: 'Dockerfile', find: 'EXPOSE 8000\n', replace: 'EXPOSE 8000\nLABEL org.opencontainers.image.vendor="ours"\n' },
  { file: '.env.example', find: '# Copy to .env for local development (git-ignored); in production, set them on the platform.\n', replace: '# Copy to .env for local development (git-ignored); in production, set them on the platform.\n# Ours: ask Ops for the production values.\n' },
  { file: 'README.md', find: '## Run it\n', replace: '## Run it\n\nAsk in #shop-dev before your first deploy.\n' },
  { file: 'README.md', find: '`manage.py` |\n', replace: '`manage.py` |\n\n## Contributing\n\nOurs.\n' },
  { file: 'config/settings/production.py', find: 'LOGGING = logging_config(json=True, level=LOG_LEVEL)\n', replace: 'LOGGING = logging_config(json=True, level=LOG_LEVEL)\nSECURE_REFERRER_POLICY = "same-origin"  # ours\n' },
  { file: 'config/logging.py', find: '"disable_existing_loggers": False,\n', replace: '"disable_existing_loggers": True,  # ours\n' },
  { file: 'config/settings/test.py', find: '"""Settings for the project\'s own tests: fast, and no secrets needed.\n', replace: '"""Settings for our tests.\n' },
  { file: 'tests/test_settings.py', find: 'def test_production_starts_with_every_required_variable() -> None:\n', replace: 'def test_production_starts_with_every_required_variable() -> None:\n    """Ours."""\n' },
  { file: '.github/workflows/ci.yml', find: '    timeout-minutes: 20\n', replace: '    timeout-minutes: 30  # ours\n' },
  { file: 'config/env.py', find: 'An empty value counts as unset.\n', replace: 'An empty value counts as unset. Ours.\n' },
  { file: 'build.sh', find: 'set -euo pipefail\n', replace: 'set -euo pipefail\numask 022  # ours\n' },
  // Ignore files merge by pattern: the user's own patterns stay next to beat's state file.
  { file: '.gitignore', find: '.ruff_cache/\n', replace: '.ruff_cache/\n.idea/\n' },
  { file: '.dockerignore', find: '.ruff_cache/\n', replace: '.ruff_cache/\nnode_modules/\n' },
];

/** Edits on the very lines Celery writes: true conflicts. `ours` is a line that must survive inside the markers. */
const NEAR: (Edit & { ours: string })[] = [
  { file: 'Procfile', find: 'web: gunicorn --config gunicorn.conf.py config.wsgi\n', replace: 'web: gunicorn --config gunicorn.conf.py config.wsgi\nworker: python manage.py rqworker\n', ours: 'worker: python manage.py rqworker' },
  { file: 'config/__init__.py', find: '', replace: '# ours\n', ours: '# ours' },
  { file: 'pyproject.toml', find: '    "argon2-cffi>=25.1.0",\n', replace: '    "argon2-cffi>=25.1.0",\n    "celery>=5.3",\n', ours: '    "celery>=5.3",' },
  { file: '.github/workflows/ci.yml', find: '      REDIS_URL: redis://127.0.0.1:6379/0\n', replace: '      REDIS_URL: redis://127.0.0.1:6379/0\n      SHOP_FLAG: "1"\n', ours: '      SHOP_FLAG: "1"' },
  { file: 'config/env.py', find: '    ),\n}\n', replace: '    ),\n    "SENTRY_DSN": Rule("text", "any text"),\n}\n', ours: '    "SENTRY_DSN": Rule("text", "any text"),' },
  // .env.example merges by variable: only a variable Celery also writes is a conflict.
  { file: '.env.example', find: 'WEB_CONCURRENCY=2\n', replace: 'WEB_CONCURRENCY=2\n\n# Ours.\nCELERY_BROKER_URL=redis://ours:6379/5\n', ours: 'CELERY_BROKER_URL=redis://ours:6379/5' },
  { file: 'README.md', find: 'Redis cache, static files served by the app itself.', replace: 'Redis cache, static files served by the app itself, and ours.', ours: 'and ours.' },
  // The user ignores beat's state file under a comment of theirs: the same pattern, told differently.
  { file: '.gitignore', find: 'db.sqlite3\n', replace: 'db.sqlite3\n# ours: beat state\ncelerybeat-schedule*\n', ours: '# ours: beat state' },
  { file: '.dockerignore', find: 'db.sqlite3\n', replace: 'db.sqlite3\n# ours: beat state\ncelerybeat-schedule*\n', ours: '# ours: beat state' },
  { file: 'docker-compose.yml', find: '  PORT: "8000"\n', replace: '  PORT: "8000"\n  SHOP_FLAG: "1"\n', ours: '  SHOP_FLAG: "1"' },
  // Celery's broker joins the build step's placeholders, where the user added one of theirs.
  { file: 'build.sh', find: 'export DATABASE_URL=postgres://build-time-placeholder@localhost:5432/unused\n', replace: 'export DATABASE_URL=postgres://build-time-placeholder@localhost:5432/unused\nexport SHOP_FLAG=1\n', ours: 'export SHOP_FLAG=1' },
  { file: 'config/settings/production.py', find: '    "DATABASE_URL": "Database connection URL; unset in development means a local SQLite file",\n', replace: '    "DATABASE_URL": "Database connection URL; unset in development means a local SQLite file",\n    "SENTRY_DSN": "Where errors go",\n', ours: '"SENTRY_DSN": "Where errors go",' },
  { file: 'tests/test_settings.py', find: '    "DATABASE_URL": "sqlite:///unused.sqlite3",\n', replace: '    "DATABASE_URL": "sqlite:///unused.sqlite3",\n    "SENTRY_DSN": "https://key@sentry.invalid/1",\n', ours: '"SENTRY_DSN": "https://key@sentry.invalid/1",' },
  // Settings modules merge by statement: a setting of the user's next to Celery's is no conflict (keyed-python.test.ts),
  // the same setting is.
  { file: 'config/settings/test.py', find: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n', replace: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n\nCELERY_TASK_ALWAYS_EAGER = False  # ours\n', ours: 'CELERY_TASK_ALWAYS_EAGER = False  # ours' },
  { file: 'config/logging.py', find: '            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},\n', replace: '            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},\n            "shop": {"handlers": [], "level": "DEBUG", "propagate": True},\n', ours: '"shop": {"handlers": [], "level": "DEBUG", "propagate": True},' },
  // The user set up Celery by hand at the very place the generator puts its block.
  { file: 'config/settings/base.py', find: '\n# Static files (factor V)', replace: '\nCELERY_BROKER_URL = "redis://ours"\n\n# Static files (factor V)', ours: 'CELERY_BROKER_URL = "redis://ours"' },
];

function applyAll(content: string, file: string, edits: Edit[]): string {
  return edits.filter((e) => e.file === file).reduce((text, e) => (e.find === '' ? e.replace + text : applyEdit(text, e)), content);
}

describe('celery: what the user wrote is never lost', { timeout: TIMEOUT }, () => {
  test.for(CHOICES.map((choice) => ({ choice, label: choice.join(' ') })))('far and near-but-separate edits in every file Celery touches merge cleanly and survive ($label)', async ({ choice }) => {
    const [fresh, project] = await Promise.all([generate(['--celery', ...choice]), generate(['--no-celery'])]);
    const before = readTree(project);
    const touched = changedFiles(before, readTree(fresh));
    for (const e of FAR) edit(project, e);
    const run = await sub(project, 'celery', choice);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('need your attention');
    // The result is exactly the fresh Celery project with the user's edits applied, file by file.
    const expected = new Map([...readTree(fresh)].map(([file, content]) => [file, applyAll(content, file, FAR)]));
    expectSameTree(readTree(project), expected);
    // Every file that existed and Celery changes had an edit (the empty config/__init__.py can only conflict: see below).
    const existed = touched.filter((f) => before.has(f) && f !== '.yo-rc.json' && f !== 'config/__init__.py');
    expect(existed.length).toBeGreaterThan(5);
    expect(existed.filter((f) => !FAR.some((e) => e.file === f))).toEqual([]);
  });

  test('edits on the lines Celery writes: conflict markers, every conflicted file listed, exit 1', async () => {
    const [fresh, project] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    const existed = changedFiles(readTree(project), readTree(fresh)).filter((f) => readTree(project).has(f) && f !== '.yo-rc.json');
    expect(existed.filter((f) => !NEAR.some((e) => e.file === f))).toEqual([]);
    for (const e of NEAR) (e.find === '' ? write(project, e.file, e.replace + read(project, e.file)) : edit(project, e));
    // The user wrote their own config/celery.py before: Celery's must not replace it.
    write(project, 'config/celery.py', '# ours: a hand-written Celery app\n');
    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code).toBe(1);
    const conflicted = [...new Set([...NEAR.map((e) => e.file), 'config/celery.py'])].sort();
    expect(errorLine(run)).toBe(`generator-twelve-django: ${conflicted.length} file(s) need your attention (listed above)`);
    for (const file of conflicted) {
      expect(run.stderr).toMatch(new RegExp(`^\\s+${file.replace(/\./g, '\\.')}: both you and the generator changed the same lines`, 'm'));
      const text = read(project, file);
      expect(text, file).toContain(`${MARKERS.ours}\n`);
      expect(text, file).toContain(`\n${MARKERS.sep}\n`);
      expect(text, file).toContain(`\n${MARKERS.theirs}\n`);
    }
    for (const e of NEAR) {
      const text = read(project, e.file);
      // Ours between <<<<<<< and =======, Celery's between ======= and >>>>>>>.
      const ours = text.slice(text.indexOf(MARKERS.ours), text.indexOf(`\n${MARKERS.sep}\n`));
      expect(ours, e.file).toContain(e.ours);
    }
    expect(read(project, 'config/celery.py')).toContain('# ours: a hand-written Celery app');
    expect(read(project, 'config/celery.py')).toContain(read(fresh, 'config/celery.py').split('\n')[0]);
    // Files without a conflict are updated all the same.
    for (const file of ['shop/tasks.py', 'tests/test_tasks.py', '.yo-rc.json']) {
      expect(read(project, file), file).toBe(read(fresh, file));
    }
  });

  test('a deleted file Celery changes comes back and is reported; one it does not change stays deleted', async () => {
    const [fresh, project] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    rmSync(path.join(project, 'Procfile'));
    rmSync(path.join(project, 'release.sh'));
    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\s+Procfile: you deleted it and the generator changed it: restored$/m);
    expect(run.stderr).not.toContain('release.sh');
    expect(errorLine(run)).toBe('generator-twelve-django: 1 file(s) need your attention (listed above)');
    expect(read(project, 'Procfile')).toBe(read(fresh, 'Procfile'));
    expect(existsSync(path.join(project, 'release.sh'))).toBe(false);
  });

  test('the local .env keeps its secret and the user edits, and gains the Celery variables', async () => {
    const [fresh, project] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    const secret = /^DJANGO_SECRET_KEY=.*$/m.exec(read(project, '.env'))![0];
    const ours: Edit = { file: '.env', find: 'DJANGO_LOG_LEVEL=INFO', replace: 'DJANGO_LOG_LEVEL=DEBUG' };
    edit(project, ours);
    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    const expected = applyEdit(read(fresh, '.env'), ours).replace(/^DJANGO_SECRET_KEY=.*$/m, secret);
    expect(read(project, '.env')).toBe(expected);
    expect(read(project, '.env')).toContain('CELERY_BROKER_URL=');
  });

  test('with a conflict, `uv lock` is not run on a pyproject.toml full of markers, and the run says so', async () => {
    const project = await generate(['--no-celery']);
    edit(project, NEAR.find((e) => e.file === 'pyproject.toml')!);
    // No --skip-install: the install step runs, and must not spawn uv.
    const run = await cli(project, ['celery', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('Running uv lock');
    expect(errorLine(run)).toBe(
      'generator-twelve-django: 1 file(s) need your attention (listed above); `uv lock` was not run: resolve the conflicts, then run `uv lock` in the project',
    );
  });
});
