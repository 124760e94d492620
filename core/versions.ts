/**
 * Every version the generated project pins, in one place. Lower bounds are the newest
 * release at the time of writing, so a fresh `uv lock` never goes back to an older one.
 */

export const PYTHON_VERSIONS = ['3.11', '3.12', '3.13', '3.14'] as const;

export interface DjangoVersion {
  version: string;
  label: string;
  /** The Python package requirement. */
  requirement: string;
  /** The oldest Python it supports. */
  minPython: string;
}

export const DJANGO_VERSIONS: readonly DjangoVersion[] = [
  { version: '5.2', label: 'Django 5.2 (LTS, to April 2028)', requirement: 'django>=5.2.19,<5.3', minPython: '3.10' },
  { version: '6.1', label: 'Django 6.1', requirement: 'django>=6.1.3,<6.2', minPython: '3.12' },
];

/** Python requirements by name; features pick from here. */
export const PY = {
  environ: 'django-environ>=0.14.0',
  argon2: 'argon2-cffi>=25.1.0',
  /** Content-Security-Policy on Django 5.2 (6.1 has it built in). */
  djangoCsp: 'django-csp>=4.0',
  jsonLogger: 'python-json-logger>=4.2.0',
  psycopg: 'psycopg[binary]>=3.3.9',
  /** With psycopg_pool, for Django's connection pool (ASGI projects). */
  psycopgPool: 'psycopg[binary,pool]>=3.3.9',
  mysqlclient: 'mysqlclient>=2.3.1',
  redis: 'redis>=8.1.0',
  pymemcache: 'pymemcache>=4.0.0',
  gunicorn: 'gunicorn>=27.0.1',
  uvicornWorker: 'uvicorn-worker>=0.4.0',
  uvicorn: 'uvicorn[standard]>=0.54.0',
  granian: 'granian>=2.8.7',
  celeryRedis: 'celery[redis]>=5.7.0',
  celery: 'celery>=5.7.0',
  whitenoise: 'whitenoise[brotli]>=6.12.0',
  servestatic: 'servestatic[brotli]>=4.4.0',
  honcho: 'honcho>=2.0.0',
  pytest: 'pytest>=9.2.0',
  pytestDjango: 'pytest-django>=4.14.0',
  ruff: 'ruff>=0.17.6',
} as const;

/** GitHub Actions the generated CI workflow uses, pinned to a major version. */
export const ACTIONS = {
  checkout: 'actions/checkout@v5',
  setupUv: 'astral-sh/setup-uv@v7',
} as const;

/** Container images, pinned to a release line so a rebuild gets security fixes, not surprises. */
export const IMAGES = {
  uv: 'ghcr.io/astral-sh/uv:0.9.7',
  python: (python: string) => `python:${python}-slim-trixie`,
  postgres: 'postgres:18-trixie',
  mariadb: 'mariadb:11.8',
  redis: 'redis:8.2-alpine',
  memcached: 'memcached:1.6-alpine',
  rabbitmq: 'rabbitmq:4.1-management-alpine',
} as const;

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
