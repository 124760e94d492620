/**
 * `twelve-django whitenoise` (= `yo twelve-django:whitenoise`) on projects that exist.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  MARKERS,
  applyEdit,
  changedFiles,
  edit,
  errorLine,
  executables,
  expectSameTree,
  localEnv,
  generate,
  read,
  readTree,
  stamps,
  sub,
  write,
  type Edit,
} from './helpers.js';

const TIMEOUT = 60_000;

const FAR: Edit[] = [
  { file: 'config/settings/base.py', find: 'CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])\n', replace: 'CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])\nLANGUAGE_CODE = "de-de"  # ours, far\n' },
  // Six lines below the middleware line WhiteNoise inserts.
  { file: 'config/settings/base.py', find: '    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n', replace: '    "django.middleware.clickjacking.XFrameOptionsMiddleware",\n    "shop.middleware.Ours",\n' },
  { file: 'config/urls.py', find: '    path(settings.ADMIN_URL, admin.site.urls),\n', replace: '    path(settings.ADMIN_URL, admin.site.urls),\n    path("ours/", admin.site.urls),\n' },
  { file: 'pyproject.toml', find: 'version = "0.1.0"', replace: 'version = "2.0.0"' },
  { file: 'Dockerfile', find: 'EXPOSE 8000\n', replace: 'EXPOSE 8000\nLABEL org.opencontainers.image.vendor="ours"\n' },
  { file: 'README.md', find: '`manage.py` |\n', replace: '`manage.py` |\n\n## Contributing\n\nOurs.\n' },
  { file: 'config/settings/test.py', find: '"""Settings for the project\'s own tests: fast, and no secrets needed.\n', replace: '"""Settings for our tests.\n' },
];

const NEAR: (Edit & { ours: string })[] = [
  { file: 'config/settings/base.py', find: '    "django.middleware.security.SecurityMiddleware",\n', replace: '    "django.middleware.security.SecurityMiddleware",\n    "corsheaders.middleware.CorsMiddleware",\n', ours: '"corsheaders.middleware.CorsMiddleware",' },
  { file: 'Dockerfile', find: '    DJANGO_SETTINGS_MODULE=config.settings.production\n\nFROM', replace: '    DJANGO_SETTINGS_MODULE=config.settings.production\nRUN python manage.py collectstatic --noinput\n\nFROM', ours: 'RUN python manage.py collectstatic --noinput' },
  { file: 'pyproject.toml', find: '    "redis>=8.1.0",\n', replace: '    "redis>=8.1.0",\n    "whitenoise>=6.0",\n', ours: '"whitenoise>=6.0",' },
  { file: 'config/settings/test.py', find: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n', replace: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n\nSTATIC_ROOT = BASE_DIR / "static"  # ours\n', ours: 'STATIC_ROOT = BASE_DIR / "static"  # ours' },
  { file: 'README.md', find: 'Redis cache.', replace: 'Redis cache, behind our CDN.', ours: 'behind our CDN.' },
];

describe('whitenoise: what the user wrote is never lost', { timeout: TIMEOUT }, () => {
  test('far and near-but-separate edits in every file WhiteNoise touches merge cleanly and survive', async () => {
    const [fresh, project] = await Promise.all([generate(['--whitenoise']), generate(['--no-whitenoise'])]);
    const before = readTree(project);
    const touched = changedFiles(before, readTree(fresh)).filter((f) => f !== '.yo-rc.json');
    expect(touched.filter((f) => !FAR.some((e) => e.file === f))).toEqual([]);
    for (const e of FAR) edit(project, e);
    const run = await sub(project, 'whitenoise', []);
    expect(run.code, run.stderr).toBe(0);
    const expected = new Map(
      [...readTree(fresh)].map(([file, content]) => [file, FAR.filter((e) => e.file === file).reduce(applyEdit, content)]),
    );
    expectSameTree(readTree(project), expected);
  });

  test('edits on the lines WhiteNoise writes: conflict markers, every conflicted file listed, exit 1', async () => {
    const [fresh, project] = await Promise.all([generate(['--whitenoise']), generate(['--no-whitenoise'])]);
    for (const e of NEAR) edit(project, e);
    write(project, 'config/urls.py', `${read(project, 'config/urls.py')}# ours, untouched by WhiteNoise\n`);
    const run = await sub(project, 'whitenoise', []);
    expect(run.code).toBe(1);
    expect(errorLine(run)).toBe(`generator-twelve-django: ${NEAR.length} file(s) need your attention (listed above)`);
    for (const e of NEAR) {
      expect(run.stderr).toMatch(new RegExp(`^\\s+${e.file.replace(/\./g, '\\.')}: both you and the generator changed the same lines`, 'm'));
      const text = read(project, e.file);
      const start = text.indexOf(`${MARKERS.ours}\n`);
      const middle = text.indexOf(`\n${MARKERS.sep}\n`, start);
      const end = text.indexOf(`\n${MARKERS.theirs}\n`, middle);
      expect(start, e.file).toBeGreaterThanOrEqual(0);
      expect(middle, e.file).toBeGreaterThan(start);
      expect(end, e.file).toBeGreaterThan(middle);
      expect(text.slice(start, middle), e.file).toContain(e.ours);
    }
    expect(read(project, 'config/urls.py')).toBe(`${read(fresh, 'config/urls.py')}# ours, untouched by WhiteNoise\n`);
    expect(read(project, '.yo-rc.json')).toBe(read(fresh, '.yo-rc.json'));
  });

  test('a deleted Dockerfile comes back with its collectstatic step and is reported', async () => {
    const [fresh, project] = await Promise.all([generate(['--whitenoise']), generate(['--no-whitenoise'])]);
    rmSync(path.join(project, 'Dockerfile'));
    rmSync(path.join(project, 'docker-compose.yml'));
    const run = await sub(project, 'whitenoise', []);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\s+Dockerfile: you deleted it and the generator changed it: restored$/m);
    expect(read(project, 'Dockerfile')).toBe(read(fresh, 'Dockerfile'));
    expect(existsSync(path.join(project, 'docker-compose.yml'))).toBe(false);
  });
});
