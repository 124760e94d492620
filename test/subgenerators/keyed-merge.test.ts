/**
 * The files users append to (Procfile, .env.example, the local .env) merge by key: the scenario, as a
 * new user lives it. Generate, start an app, append a setting, a process, a variable and a dependency, then add
 * Celery: everything merges cleanly, wherever in the files the user's additions are; the same key changed on both
 * sides is the only conflict.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SUBGENERATORS } from '../../core/subgenerators.js';
import { MARKERS, edit, errorLine, generate, read, sub, write, type Edit } from './helpers.js';

const TIMEOUT = 60_000;

/** `manage.py startapp orders` and the line that installs it (the files startapp writes; nobody generates them). */
function startapp(project: string): void {
  mkdirSync(path.join(project, 'orders', 'migrations'), { recursive: true });
  write(project, 'orders/__init__.py', '');
  write(project, 'orders/migrations/__init__.py', '');
  write(project, 'orders/apps.py', 'from django.apps import AppConfig\n\n\nclass OrdersConfig(AppConfig):\n    name = "orders"\n');
  write(project, 'orders/models.py', 'from django.db import models  # noqa: F401\n');
  edit(project, { file: 'config/settings/base.py', find: '    "shop.apps.ShopConfig",\n', replace: '    "shop.apps.ShopConfig",\n    "orders",\n' });
}

/** The user's additions at the end of each file, the way almost everyone edits them. */
const AT_THE_END: Edit[] = [
  { file: 'Procfile', find: 'config.wsgi\n', replace: 'config.wsgi\nreport: python manage.py send_report\n' },
  { file: '.env.example', find: 'WEB_WORKER_CONNECTIONS=100\n', replace: 'WEB_WORKER_CONNECTIONS=100\nORDER_RETENTION_DAYS=90\n' },
  { file: '.env', find: 'WEB_WORKER_CONNECTIONS=100\n', replace: 'WEB_WORKER_CONNECTIONS=100\nORDER_RETENTION_DAYS=7\n' },
  // `uv add django-filter` keeps the sorted list sorted.
  { file: 'pyproject.toml', find: '    "django-environ>=0.14.0",\n', replace: '    "django-environ>=0.14.0",\n    "django-filter>=25.2",\n' },
];

/** The same additions in the middle of the files, each with its comment block where the format has them. */
const IN_THE_MIDDLE: Edit[] = [
  { file: 'Procfile', find: 'release: ./release.sh\n', replace: 'release: ./release.sh\n# Nightly report, run by the platform scheduler.\nreport: python manage.py send_report\n' },
  {
    file: '.env.example',
    find: 'DJANGO_LOG_LEVEL=INFO\n',
    replace: 'DJANGO_LOG_LEVEL=INFO\n\n# How many days finished orders are kept.\n# Factor III.\nORDER_RETENTION_DAYS=90\n',
  },
  { file: '.env', find: 'DJANGO_LOG_LEVEL=INFO\n', replace: 'DJANGO_LOG_LEVEL=INFO\nORDER_RETENTION_DAYS=7\n' },
  { file: 'pyproject.toml', find: '    "django-environ>=0.14.0",\n', replace: '    "django-environ>=0.14.0",\n    "django-filter>=25.2",\n' },
];

const SETTING = '\nORDER_RETENTION_DAYS = env.int("ORDER_RETENTION_DAYS", default=90)\n';

/**
 * The exact scenario: where a feature's block lands at the end of base.py (no WhiteNoise after it), a setting
 * the user appended there; `uv add` right where a feature's dependency goes. Every subgenerator, one after the other.
 */
describe('a setting appended to base.py and `uv add`s, then every subgenerator: zero conflicts', { timeout: TIMEOUT }, () => {
  test('celery, whitenoise, kubernetes in turn on a --no-whitenoise project', async () => {
    const project = await generate(['--no-celery', '--no-whitenoise', '--no-kubernetes']);
    const setting = '\n# Finished orders are kept this many days.\nORDER_RETENTION_DAYS = env.int("ORDER_RETENTION_DAYS", default=90)\n';
    write(project, 'config/settings/base.py', read(project, 'config/settings/base.py') + setting);
    // `uv add pillow sentry-sdk` keeps the sorted list sorted: sentry-sdk lands right after redis, where WhiteNoise's goes.
    edit(project, { file: 'pyproject.toml', find: '    "psycopg[binary]', replace: '    "pillow>=11.3.0",\n    "psycopg[binary]' });
    edit(project, { file: 'pyproject.toml', find: '    "redis>=8.1.0",\n', replace: '    "redis>=8.1.0",\n    "sentry-sdk>=2.35.0",\n' });
    for (const name of SUBGENERATORS.map((s) => s.name)) {
      const run = await sub(project, name, ['--yes']);
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stderr, name).not.toContain('need your attention');
    }
    const base = read(project, 'config/settings/base.py');
    expect(base.endsWith(setting)).toBe(true);
    expect(base).toContain('\nCELERY_BROKER_URL = env.str(');
    expect(base).toContain('"whitenoise.storage.CompressedManifestStaticFilesStorage"');
    const deps = /^dependencies = \[\n([\s\S]*?)^\]/m.exec(read(project, 'pyproject.toml'))![1]!.split('\n').filter(Boolean).map((l) => l.trim());
    const names = deps.map((d) => /^"([\w.-]+)/.exec(d)![1]!.toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(deps).toEqual(expect.arrayContaining(['"pillow>=11.3.0",', '"sentry-sdk>=2.35.0",', expect.stringMatching(/^"celery\[redis\]/), expect.stringMatching(/^"whitenoise\[brotli\]/)]));
  });
});

describe('the issue scenario: startapp, append, `uv add`, then `celery`', { timeout: TIMEOUT }, () => {
  test.for([
    { where: 'at the end of the files', edits: AT_THE_END },
    { where: 'in the middle of the files', edits: IN_THE_MIDDLE },
  ])('user additions $where: everything merges cleanly, nothing lost', async ({ edits }) => {
    const [fresh, project] = await Promise.all([generate(['--celery']), generate(['--no-celery'])]);
    startapp(project);
    write(project, 'config/settings/base.py', read(project, 'config/settings/base.py') + SETTING);
    for (const e of edits) edit(project, e);

    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('need your attention');

    for (const file of ['Procfile', '.env.example', '.env', 'pyproject.toml', 'config/settings/base.py']) {
      const text = read(project, file);
      expect(text, file).not.toContain(MARKERS.ours);
    }
    // Every entry of the Celery project is there, and every one of the user's, once.
    const entries = (text: string) => text.split('\n').filter((l) => /^[A-Za-z_][A-Za-z0-9_-]*[=:]/.test(l)).sort();
    for (const e of edits.filter((x) => x.file !== 'pyproject.toml')) {
      const added = entries(e.replace).filter((l) => !entries(e.find).includes(l));
      const expected = [...entries(e.file === '.env' ? read(fresh, '.env').replace(/^DJANGO_SECRET_KEY=.*$/m, read(project, '.env').match(/^DJANGO_SECRET_KEY=.*$/m)![0]) : read(fresh, e.file)), ...added].sort();
      expect(entries(read(project, e.file)), e.file).toEqual(expected);
    }
    // The user's additions keep their comment blocks and their place; Celery's come right after `web` / WEB_CONCURRENCY.
    for (const e of edits) expect(read(project, e.file), e.file).toContain(e.replace.trimEnd().split('\n').slice(1).join('\n'));
    expect(read(project, 'Procfile')).toMatch(/^web: .*\nworker: .*\nbeat: .*\n/m);
    expect(read(project, 'config/settings/base.py')).toContain('    "orders",\n');
    expect(read(project, 'config/settings/base.py').endsWith(SETTING)).toBe(true);
    expect(read(project, 'config/settings/base.py')).toContain('CELERY_BROKER_URL');
    expect(read(project, 'pyproject.toml')).toMatch(/"celery\[redis\]>=[^"]+",\n/);
    expect(read(project, 'orders/apps.py')).toContain('class OrdersConfig');
  });

  test('the exact files when the user appended at the end', async () => {
    const project = await generate(['--no-celery']);
    for (const e of AT_THE_END) edit(project, e);
    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(read(project, 'Procfile')).toBe(
      [
        'release: ./release.sh',
        'web: gunicorn --config gunicorn.conf.py config.wsgi',
        'worker: celery --app config --quiet worker --loglevel INFO --without-mingle',
        'beat: celery --app config --quiet beat --loglevel INFO --schedule /tmp/celerybeat-schedule-shop',
        'report: python manage.py send_report',
        '',
      ].join('\n'),
    );
    expect(read(project, '.env.example')).toMatch(/\nWEB_WORKER_CONNECTIONS=100\n\n# Celery broker[^\n]*\n(#[^\n]*\n)*CELERY_BROKER_URL=[^\n]*\n[\s\S]*\nCELERY_WORKER_CONCURRENCY=2\nORDER_RETENTION_DAYS=90\n$/);
  });

  test('the same key changed on both sides: that entry alone is in markers, the rest merges, exit 1', async () => {
    const project = await generate(['--no-celery']);
    edit(project, AT_THE_END[0]!); // report: appended (merges)
    edit(project, { file: 'Procfile', find: 'config.wsgi\n', replace: 'config.wsgi\nworker: python manage.py rqworker\n' });
    edit(project, { file: '.env.example', find: 'WEB_CONCURRENCY=2\n', replace: 'WEB_CONCURRENCY=2\nCELERY_BROKER_URL=redis://ours:6379/5\n' });
    const run = await sub(project, 'celery', ['--yes']);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe('generator-twelve-django: 2 file(s) need your attention (listed above)');
    const procfile = read(project, 'Procfile');
    expect(procfile).toContain(`${MARKERS.ours}\nworker: python manage.py rqworker\n${MARKERS.sep}\nworker: celery --app config`);
    expect(procfile).toContain('\nbeat: celery --app config');
    expect(procfile).toContain('\nreport: python manage.py send_report\n');
    expect(procfile.split(MARKERS.ours)).toHaveLength(2);
    const env = read(project, '.env.example');
    expect(env).toContain(`${MARKERS.ours}\nCELERY_BROKER_URL=redis://ours:6379/5\n${MARKERS.sep}\n`);
    expect(env).toContain('\nCELERY_RESULT_BACKEND=');
    expect(env.split(MARKERS.ours)).toHaveLength(2);
  });
});
