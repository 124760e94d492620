import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { answersFor } from '../helpers.js';

const model = async (flags: Record<string, unknown> = {}) => buildModel(await answersFor(flags));
const names = (list: { name: string }[]) => list.map((x) => x.name);

describe('the project model', () => {
  it('for the defaults: PostgreSQL, Redis cache, gunicorn, WhiteNoise, no Celery', async () => {
    const m = await model();
    expect(m.slug).toBe('my_site');
    expect(m.requirements.main).toEqual([
      'argon2-cffi>=25.1.0', 'django>=5.2.19,<5.3', 'django-csp>=4.0', 'django-environ>=0.14.0', 'gunicorn>=27.0.1', 'psycopg[binary]>=3.3.9',
      'python-json-logger>=4.2.0', 'redis>=8.1.0', 'whitenoise[brotli]>=6.12.0',
    ]);
    expect(m.requirements.dev).toEqual(['honcho>=2.0.0', 'pytest>=9.2.0', 'pytest-django>=4.14.0', 'ruff>=0.17.6']);
    expect(names(m.processes)).toEqual(['release', 'web']);
    expect(names(m.services)).toEqual(['db', 'redis']);
    expect(m.env.map((v) => v.name)).toEqual([
      'DJANGO_SETTINGS_MODULE', 'DJANGO_SECRET_KEY', 'DJANGO_DEBUG', 'DJANGO_ALLOWED_HOSTS', 'EMAIL_URL',
      'DJANGO_DEFAULT_FROM_EMAIL', 'DJANGO_CSRF_TRUSTED_ORIGINS', 'DJANGO_SECURE_SSL_REDIRECT', 'DJANGO_SECURE_HSTS_SECONDS', 'DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS',
      'DJANGO_SECURE_HSTS_PRELOAD', 'DJANGO_CSP_REPORT_ONLY', 'DJANGO_ADMIN_URL', 'DJANGO_SECRET_KEY_FALLBACKS',
      'DJANGO_LOG_LEVEL', 'DATABASE_URL', 'DATABASE_CONN_MAX_AGE', 'REDIS_URL',
      'PORT', 'WEB_CONCURRENCY', 'WEB_THREADS', 'WEB_WORKER_CONNECTIONS',
    ]);
    expect(m.env.filter((v) => v.required).map((v) => v.name)).toEqual(['DJANGO_SECRET_KEY', 'DJANGO_ALLOWED_HOSTS', 'DATABASE_URL']);
  });

  it('puts the health check first and WhiteNoise right after SecurityMiddleware', async () => {
    const m = await model();
    expect(m.middleware.slice(0, 4)).toEqual([
      'my_site.health.HealthCheckMiddleware',
      'django.middleware.security.SecurityMiddleware',
      'whitenoise.middleware.WhiteNoiseMiddleware',
      'my_site.request_id.RequestIdMiddleware',
    ]);
    expect((await model({ whitenoise: false })).middleware).not.toContain('whitenoise.middleware.WhiteNoiseMiddleware');
  });

  it.each([
    ['postgres', 'psycopg[binary]>=3.3.9', 'db', []],
    ['mysql', 'mysqlclient>=2.3.1', 'db', ['default-libmysqlclient-dev']],
    ['sqlite', undefined, undefined, []],
  ])('database %s: driver, compose service and build headers', async (database, driver, service, headers) => {
    const m = await model({ database });
    if (driver) expect(m.requirements.main).toContain(driver);
    expect(m.requirements.main.some((r) => r.startsWith('psycopg') || r.startsWith('mysqlclient'))).toBe(Boolean(driver));
    expect(m.services.map((s) => s.name).includes('db')).toBe(Boolean(service));
    for (const h of headers) expect(m.buildPackages).toContain(h);
    expect(m.env.find((v) => v.name === 'DATABASE_URL')!.required).toBe(true);
  });

  it.each([
    ['redis', 'REDIS_URL', ['redis']],
    ['memcached', 'CACHE_URL', ['memcached']],
    ['none', undefined, []],
  ])('cache %s reads %s', async (cache, variable, services) => {
    const m = await model({ cache });
    const urls = m.env.map((v) => v.name).filter((n) => n === 'REDIS_URL' || n === 'CACHE_URL');
    expect(urls).toEqual(variable ? [variable] : []);
    expect(names(m.services).filter((n) => n !== 'db')).toEqual(services);
  });

  it('Celery adds worker, beat when chosen, the broker and its variables', async () => {
    const m = await model({ celery: true, broker: 'rabbitmq', cache: 'memcached' });
    expect(names(m.processes)).toEqual(['release', 'web', 'worker', 'beat']);
    expect(names(m.services)).toEqual(['db', 'memcached', 'rabbitmq']);
    expect(m.env.map((v) => v.name)).toEqual(expect.arrayContaining(['CELERY_BROKER_URL', 'CELERY_RESULT_BACKEND', 'CELERY_WORKER_CONCURRENCY']));
    expect(m.configImports[0]).toBe('from .celery import app as celery_app');
    expect(names((await model({ celery: true, beat: false })).processes)).toEqual(['release', 'web', 'worker']);
  });

  it('Redis as cache and broker is one compose service', async () => {
    const m = await model({ celery: true, broker: 'redis', cache: 'redis' });
    expect(names(m.services)).toEqual(['db', 'redis']);
  });

  it.each([
    ['gunicorn', ['gunicorn', '--config', 'gunicorn.conf.py', 'config.wsgi']],
    ['uvicorn', ['gunicorn', '--config', 'gunicorn.conf.py', 'config.asgi']],
    ['granian', ['python', '-m', 'config.granian']],
  ])('server %s has its web command', async (server, command) => {
    expect((await model({ server })).web.command).toEqual(command);
  });

  it('Python and Django choices reach the image and the requirement', async () => {
    const m = await model({ python: '3.14', django: '6.1' });
    expect(m.images.python).toBe('python:3.14-slim-trixie');
    expect(m.pythonTarget).toBe('py314');
    expect(m.requirements.main.filter((r) => r.startsWith('django>'))).toEqual(['django>=6.1.3,<6.2']);
  });
});

describe('shared timeouts', () => {
  it('give every long-running process a stop window longer than its own drain, from one value', async () => {
    const m = await model({ celery: true, beat: true });
    const stop = Object.fromEntries(m.processes.map((p) => [p.name, p.stopSeconds]));
    expect(stop.release).toBeUndefined();
    expect(stop.web).toBeGreaterThan(m.timeouts.webGraceful);
    expect(stop.worker).toBeGreaterThan(m.timeouts.taskHard);
    expect(stop.beat).toBeGreaterThan(0);
  });
});

describe('which feature contributes each file', () => {
  it('is recorded for every file the model writes (the docs preview shows it)', async () => {
    const m = await model({ celery: true, server: 'granian' });
    expect([...m.fileFeatures.keys()].sort()).toEqual([...m.files.keys()].sort());
    expect(m.fileFeatures.get('config/celery.py')).toBe('celery');
    expect(m.fileFeatures.get('config/granian.py')).toBe('server');
  });
});
