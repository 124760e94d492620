/** The Django project itself: packaging, settings, URLs, entry points, the project's own tests. */
import type { Feature } from '../feature.js';
import { SETTINGS_PACKAGE } from '../runtime.js';
import { pascal } from '../slug.js';
import { DJANGO_VERSIONS, PY } from '../versions.js';

/** django-environ's email URL schemes (EMAIL_URL). */
const EMAIL_SCHEMES = ['smtp', 'smtps', 'smtp+tls', 'smtp+ssl', 'consolemail', 'filemail', 'memorymail', 'dummymail'];

/** User uploads live here, under the project directory (/app in the image), on a volume the app user owns. */
export const MEDIA_DIR = 'media';

export const project: Feature = {
  id: 'project',
  applies: () => true,
  contribute: (a, slug) => ({
    files: [
      'pyproject.toml',
      '.python-version',
      '.gitignore',
      '.env.example',
      'README.md',
      'manage.py',
      'config/__init__.py',
      'config/env.py',
      'config/urls.py',
      'config/wsgi.py',
      'config/asgi.py',
      'config/settings/__init__.py',
      'config/settings/base.py',
      'config/settings/development.py',
      'config/settings/production.py',
      'config/settings/test.py',
      '__slug__/__init__.py',
      '__slug__/apps.py',
      // Django's startapp, makemigrations, squashmigrations and optimizemigration, their output through ruff.
      '__slug__/management/__init__.py',
      '__slug__/management/ruff.py',
      '__slug__/management/commands/__init__.py',
      '__slug__/management/commands/startapp.py',
      '__slug__/management/commands/makemigrations.py',
      '__slug__/management/commands/squashmigrations.py',
      '__slug__/management/commands/optimizemigration.py',
      'tests/__init__.py',
      'tests/test_commands.py',
      'tests/conftest.py',
      'tests/test_settings.py',
      'tests/test_env_example.py',
      'tests/test_env.py',
      'tests/test_security.py',
    ],
    // Collected static files (STATIC_ROOT) and uploads in development.
    localState: ['staticfiles/', `${MEDIA_DIR}/`],
    // Uploads outlive the container and the app user can write them: web stores them, tasks (the worker) may read
    // and write them; beat and the release never touch them.
    appVolumes: [{ name: MEDIA_DIR, path: `/app/${MEDIA_DIR}`, processes: ['web', 'worker'] }],
    settings: [{ module: 'base', template: 'config/settings/partials/media.py.ejs', data: { dir: MEDIA_DIR } }],
    requirements: [
      { spec: DJANGO_VERSIONS.find((d) => d.version === a.django)!.requirement },
      { spec: PY.environ },
      { spec: PY.honcho, group: 'dev' },
      { spec: PY.pytest, group: 'dev' },
      { spec: PY.pytestDjango, group: 'dev' },
      { spec: PY.ruff, group: 'dev' },
    ],
    installedApps: [
      'django.contrib.admin',
      'django.contrib.auth',
      'django.contrib.contenttypes',
      'django.contrib.sessions',
      'django.contrib.messages',
      'django.contrib.staticfiles',
      `${slug}.apps.${pascal(slug)}Config`,
    ],
    middleware: [
      { path: 'django.middleware.security.SecurityMiddleware' },
      { path: 'django.contrib.sessions.middleware.SessionMiddleware' },
      { path: 'django.middleware.common.CommonMiddleware' },
      { path: 'django.middleware.csrf.CsrfViewMiddleware' },
      { path: 'django.contrib.auth.middleware.AuthenticationMiddleware' },
      { path: 'django.contrib.messages.middleware.MessageMiddleware' },
      { path: 'django.middleware.clickjacking.XFrameOptionsMiddleware' },
    ],
    env: [
      {
        name: 'DJANGO_SETTINGS_MODULE',
        // Not a fixed choice: a deploy may add its own module (staging) next to these.
        kind: { type: 'text' },
        example: `${SETTINGS_PACKAGE}.production`,
        local: `${SETTINGS_PACKAGE}.development`,
        description: `Which settings module runs: ${SETTINGS_PACKAGE}.production, .development or .test`,
        factor: 'III',
      },
      {
        name: 'DJANGO_SECRET_KEY',
        kind: { type: 'text' },
        example: 'replace-with-50-or-more-random-characters',
        description: 'Signs sessions and tokens; 50+ random characters, different in every deploy',
        factor: 'III',
        required: true,
        secret: true,
        generated: true,
        compose: '${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY in .env}',
        buildTime: 'build-time-placeholder-not-a-secret-never-signs-anything',
      },
      {
        name: 'DJANGO_DEBUG',
        kind: { type: 'bool' },
        example: 'False',
        local: 'True',
        description: 'Debug pages and verbose errors; never True in production',
        factor: 'III',
        compose: 'False',
      },
      {
        name: 'DJANGO_ALLOWED_HOSTS',
        kind: { type: 'list' },
        example: 'example.com,www.example.com',
        local: 'localhost,127.0.0.1',
        description: 'Comma-separated host names this site answers to',
        factor: 'III',
        required: true,
        compose: 'localhost,127.0.0.1',
        buildTime: 'localhost',
      },
      {
        name: 'EMAIL_URL',
        kind: { type: 'url', schemes: EMAIL_SCHEMES },
        example: 'smtp+tls://USER:PASSWORD@HOST:587',
        local: 'consolemail://',
        description: 'How mail is sent: smtp+tls:// to a provider; unset means the console in development and a local SMTP server in production',
        factor: 'IV',
        secret: true,
        compose: 'consolemail://',
      },
      {
        name: 'DJANGO_DEFAULT_FROM_EMAIL',
        kind: { type: 'text' },
        example: 'webmaster@example.com',
        local: 'webmaster@localhost',
        description: 'The sender of mail the site sends, and of error reports',
        factor: 'III',
      },
      {
        name: 'DJANGO_CSRF_TRUSTED_ORIGINS',
        kind: { type: 'origins' },
        example: 'https://example.com,https://www.example.com',
        local: 'http://localhost:8000',
        description: 'Comma-separated origins allowed to POST across origins (scheme included)',
        factor: 'III',
        compose: 'http://localhost:8000',
      },
    ],
    factors: [
      { factor: 'I', text: 'One git repository; `.gitignore` keeps `.env`, virtualenvs and collected static files out', files: ['.gitignore'] },
      { factor: 'II', text: `Dependencies declared in \`pyproject.toml\` and locked in \`uv.lock\`; Python ${a.python} pinned by \`.python-version\``, files: ['pyproject.toml', 'uv.lock', '.python-version'] },
      { factor: 'III', text: 'Every setting that varies by deploy comes from the environment; `.env.example` lists them all; production refuses to start without the required ones', files: ['config/settings/', '.env.example'] },
      { factor: 'VI', text: 'No local state: sessions in the database (through the cache when there is one), nothing written next to the code', files: ['config/settings/base.py'] },
      { factor: 'XII', text: 'Admin tasks are one-off processes of the same release: `uv run honcho run python manage.py <command>` locally, `docker compose run --rm web python manage.py <command>` in containers', files: ['manage.py'] },
    ],
  }),
};

