import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pyList, render, renderLocalEnv } from '../../core/render.js';
import { answersFor, templates } from '../helpers.js';

const files = async (flags: Record<string, unknown> = {}) => render(await answersFor(flags), templates);

const COMMON = [
  '.dockerignore', '.env.example', '.github/workflows/ci.yml', '.gitignore', '.hadolint.yaml', '.python-version', '.yo-rc.json', 'Dockerfile', 'Procfile', 'build.sh',
  'README.md', 'config/__init__.py', 'config/asgi.py', 'config/env.py', 'config/logging.py', 'config/settings/__init__.py',
  'config/settings/base.py', 'config/settings/development.py', 'config/settings/production.py', 'config/settings/test.py',
  'config/urls.py', 'config/wsgi.py', 'docker-compose.yml', 'manage.py', 'my_site/__init__.py', 'my_site/apps.py',
  'my_site/health.py', 'my_site/management/__init__.py', 'my_site/management/commands/__init__.py',
  'my_site/management/commands/makemigrations.py', 'my_site/management/commands/optimizemigration.py',
  'my_site/management/commands/squashmigrations.py', 'my_site/management/commands/startapp.py', 'my_site/management/ruff.py',
  'my_site/request_id.py', 'my_site/users/__init__.py', 'my_site/users/admin.py', 'my_site/users/apps.py',
  'my_site/users/migrations/0001_initial.py', 'my_site/users/migrations/__init__.py', 'my_site/users/models.py', 'pyproject.toml', 'release.sh',
  'tests/__init__.py', 'tests/conftest.py', 'tests/test_commands.py',
  'tests/test_database.py', 'tests/test_env.py', 'tests/test_env_example.py', 'tests/test_security.py', 'tests/test_health.py', 'tests/test_logging.py', 'tests/test_settings.py',
  'tests/test_users.py',
];

describe('render', () => {
  it.each([
    [{}, ['gunicorn.conf.py']],
    [{ server: 'granian' }, ['config/granian.py']],
    [{ server: 'uvicorn', celery: true }, ['config/celery.py', 'gunicorn.conf.py', 'my_site/tasks.py', 'tests/test_beat.py', 'tests/test_tasks.py']],
    [{ server: 'uvicorn', celery: true, beat: false }, ['config/celery.py', 'gunicorn.conf.py', 'my_site/tasks.py', 'tests/test_tasks.py']],
  ])('writes the expected file list for %j', async (flags, extra) => {
    expect([...(await files(flags)).keys()]).toEqual([...COMMON, ...extra].sort());
  });

  it('leaves no template markers and ends every file with one newline', async () => {
    for (const [path, content] of await files({ celery: true, database: 'mysql', cache: 'memcached' })) {
      expect(content, path).not.toMatch(/<%|%>/);
      if (content !== '') expect(content.endsWith('\n') && !content.endsWith('\n\n'), path).toBe(true);
    }
  });

  it('is deterministic', async () => {
    const a = await files({ celery: true });
    const b = await files({ celery: true });
    expect([...a]).toEqual([...b]);
  });

  it('stores the answers in .yo-rc.json', async () => {
    const rc = JSON.parse((await files({ database: 'sqlite' })).get('.yo-rc.json')!);
    expect(rc['generator-twelve-django']).toMatchObject({ projectName: 'my-site', database: 'sqlite', celery: false });
  });

  it('records the generator version from package.json in .yo-rc.json, first', async () => {
    const rc = JSON.parse((await files({})).get('.yo-rc.json')!)['generator-twelve-django'];
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(Object.keys(rc)[0]).toBe('version');
    expect(rc.version).toBe(pkg.version);
  });

  it('lists in .env.example every variable the rendered Python reads', async () => {
    for (const flags of [{}, { celery: true, broker: 'rabbitmq', cache: 'memcached', server: 'granian' }]) {
      const out = await files(flags);
      const listed = new Set([...out.get('.env.example')!.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
      const read = new Set<string>();
      for (const [path, content] of out) {
        if (!path.endsWith('.py') || path.startsWith('tests/')) continue;
        for (const m of content.matchAll(/(?:env(?:\.\w+)?\(\s*|os\.environ(?:\.get|\.setdefault)?\(\s*)["']([A-Z][A-Z0-9_]*)["']/g)) read.add(m[1]!);
      }
      expect([...read].filter((n) => !listed.has(n))).toEqual([]);
      expect([...listed].filter((n) => !read.has(n!))).toEqual([]);
    }
  });

  it('production refuses to start without the required variables, by name', async () => {
    const production = (await files({ celery: true })).get('config/settings/production.py')!;
    for (const name of ['DJANGO_SECRET_KEY', 'DATABASE_URL', 'DJANGO_ALLOWED_HOSTS', 'CELERY_BROKER_URL']) {
      expect(production).toContain(`    "${name}": `);
    }
    // EnvError: the entry points print it as one line, not a traceback.
    expect(production).toContain('raise EnvError(');
  });

  it('the Procfile and the image run the same web command, in exec form', async () => {
    const out = await files({ server: 'uvicorn' });
    expect(out.get('Procfile')).toBe('release: ./release.sh\nweb: gunicorn --config gunicorn.conf.py config.asgi\n');
    expect(out.get('Dockerfile')).toContain('CMD ["gunicorn","--config","gunicorn.conf.py","config.asgi"]');
    expect(out.get('gunicorn.conf.py')).toContain('class Worker(UvicornWorker):');
    expect(out.get('gunicorn.conf.py')).toContain('worker_class = Worker\n');
  });

  it('collects static files at build time only with WhiteNoise', async () => {
    expect((await files()).get('build.sh')).toContain('python manage.py collectstatic --noinput');
    expect((await files({ whitenoise: false })).get('build.sh')).not.toContain('collectstatic');
    expect((await files({ whitenoise: false })).get('config/settings/base.py')).not.toContain('whitenoise');
  });

  it('MySQL images get the client library and its build headers', async () => {
    const dockerfile = (await files({ database: 'mysql' })).get('Dockerfile')!;
    expect(dockerfile).toContain('install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config');
    expect(dockerfile).toContain('install -y --no-install-recommends libmariadb3');
  });

  it('compose: every backing service health-checked, web after a successful release, no version key', async () => {
    const compose = (await files({ celery: true, broker: 'rabbitmq' })).get('docker-compose.yml')!;
    expect(compose).not.toMatch(/^version:/m);
    for (const service of ['db', 'redis', 'rabbitmq']) expect(compose).toMatch(new RegExp(`^  ${service}:\\n    image: `, 'm'));
    expect(compose).toContain('      release:\n        condition: service_completed_successfully');
    expect(compose.match(/condition: service_healthy/g)!.length).toBe(3 * 4);
  });

  it('the README names the choices as the option declarations do', async () => {
    const readme = (await files({ database: 'mysql', cache: 'memcached', celery: true, broker: 'rabbitmq', server: 'granian' })).get('README.md')!;
    expect(readme).toContain('served by granian: MySQL/MariaDB, Memcached cache, Celery on RabbitMQ with beat, static files served by the app itself.');
    expect((await files({ cache: 'none' })).get('README.md')).toContain('served by gunicorn: PostgreSQL, no shared cache, static files');
  });

  it('the local .env has the local values and the secret it is given', async () => {
    const env = renderLocalEnv(await answersFor(), templates, 's'.repeat(64));
    expect(env).toContain(`DJANGO_SECRET_KEY=${'s'.repeat(64)}\n`);
    expect(env).toContain('DJANGO_SETTINGS_MODULE=config.settings.development\n');
    expect(env).toContain('DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/my_site\n');
  });
});

describe('timeouts come from the model', () => {
  it('the servers and Celery read the graceful timeout and task limits from core/timeouts.ts', async () => {
    const { TIMEOUTS } = await import('../../core/timeouts.js');
    const gunicorn = render(await answersFor({ celery: true }), templates);
    expect(gunicorn.get('gunicorn.conf.py')).toContain(`graceful_timeout = ${TIMEOUTS.webGraceful}\n`);
    expect(gunicorn.get('config/settings/base.py')).toContain(`CELERY_TASK_TIME_LIMIT = ${TIMEOUTS.taskHard}\n`);
    const granian = render(await answersFor({ server: 'granian' }), templates);
    expect(granian.get('config/granian.py')).toContain(`workers_kill_timeout=${TIMEOUTS.webGraceful},`);
  });
});

describe('defaults written into code come from the env contract', () => {
  it('the port and worker defaults in the Dockerfile, compose file and server configs follow the model', async () => {
    const { buildModel } = await import('../../core/model.js');
    const { renderTemplate } = await import('../../core/render.js');
    for (const server of ['gunicorn', 'granian'] as const) {
      const model = buildModel(await answersFor({ server }));
      // A model whose PORT and WEB_CONCURRENCY examples differ from every number the templates could hard-code.
      model.env = model.env.map((v) =>
        v.name === 'PORT' ? { ...v, example: '9123' } : v.name === 'WEB_CONCURRENCY' ? { ...v, example: '7' } : v,
      );
      const config = server === 'gunicorn' ? 'gunicorn.conf.py.ejs' : 'config/granian.py.ejs';
      const serverConfig = renderTemplate(config, model, templates);
      expect(serverConfig).toMatch(/env\.int\(["']PORT["'], default=9123\)/);
      expect(serverConfig).toContain('env.int("WEB_CONCURRENCY", default=7)');
      const dockerfile = renderTemplate('Dockerfile.ejs', model, templates);
      expect(dockerfile).toContain('EXPOSE 9123\n');
      expect(dockerfile).toContain("os.environ.get('PORT', '9123')");
      expect(dockerfile).not.toContain('8000');
      expect(renderTemplate('docker-compose.yml.ejs', model, templates)).toContain('"127.0.0.1:9123:9123"');
    }
  });
});

describe('pyList', () => {
  it('writes a list as ruff format does: one line when it fits in 88 columns, else one item per line', () => {
    expect(pyList('    ', '"a"', ['"b"', '"c"'])).toBe('    "a": ["b", "c"],');
    const long = ['"\'self\'"', '"data:"', '"https://my-bucket-name.s3.eu-central-1.amazonaws.com"'];
    expect(pyList('    ', '"img-src"', long)).toBe(['    "img-src": [', ...long.map((i) => `        ${i},`), '    ],'].join('\n'));
  });
});
