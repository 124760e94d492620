/**
 * The generated app under production load (issue 7, items 2, 3, 6, 7): what the rendered server,
 * database and beat configuration say. Running proves the rest: the e2e `respawn` step (a worker
 * killed under load), the project's own tests/test_beat.py (beat through daily deploys), and
 * `npm run bench:app` (figures).
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { TIMEOUTS } from '../../core/timeouts.js';
import { answersFor, templates } from '../helpers.js';

const files = async (flags: Record<string, unknown> = {}) => render(await answersFor(flags), templates);
const model = async (flags: Record<string, unknown> = {}) => buildModel(await answersFor(flags));
const envNames = async (flags: Record<string, unknown>) => (await model(flags)).env.map((v) => v.name);

describe('granian', () => {
  it('respawns a failed worker and bounds threads and backpressure from the environment', async () => {
    const conf = (await files({ server: 'granian' })).get('config/granian.py')!;
    expect(conf).toContain('respawn_failed_workers=True,');
    expect(conf).toContain('blocking_threads=env.int("WEB_THREADS", default=8),');
    expect(conf).toContain('backpressure=env.int("WEB_WORKER_CONNECTIONS", default=100),');
    expect(await envNames({ server: 'granian' })).toEqual(expect.arrayContaining(['WEB_THREADS', 'WEB_WORKER_CONNECTIONS']));
  });
});

describe('gunicorn', () => {
  it('keeps idle connections longer than load balancers do, restarts workers with jitter, heartbeats in memory', async () => {
    for (const server of ['gunicorn', 'uvicorn']) {
      const conf = (await files({ server })).get('gunicorn.conf.py')!;
      expect(conf).toContain(`keepalive = ${TIMEOUTS.keepAlive}\n`);
      expect(conf).toMatch(/^max_requests = \d+\nmax_requests_jitter = \d+$/m);
      expect(conf).toContain('worker_tmp_dir = _memory if os.path.isdir(_memory) else None');
      expect(conf).toContain('worker_connections = env.int("WEB_WORKER_CONNECTIONS", default=100)');
    }
    // AWS ALB's default idle timeout: the server must outlast it.
    expect(TIMEOUTS.keepAlive).toBeGreaterThan(60);
  });

  it('threads from the environment (gthread); uvicorn workers capped at WEB_WORKER_CONNECTIONS', async () => {
    expect((await files()).get('gunicorn.conf.py')).toContain('threads = env.int("WEB_THREADS", default=8)');
    const uvicorn = (await files({ server: 'uvicorn' })).get('gunicorn.conf.py')!;
    expect(uvicorn).toContain('"limit_concurrency": worker_connections,');
    expect(uvicorn).not.toContain('WEB_THREADS');
    expect(await envNames({ server: 'uvicorn' })).not.toContain('WEB_THREADS');
  });

  it('declares /dev/shm as a writable scratch path (read-only root file systems)', async () => {
    expect((await model()).writablePaths.map((p) => p.path)).toContain('/dev/shm');
    expect((await model({ server: 'granian' })).writablePaths.map((p) => p.path)).not.toContain('/dev/shm');
  });
});

describe('database connections', () => {
  it('WSGI: persistent connections with health checks, their age from the environment', async () => {
    for (const server of ['gunicorn', 'granian']) {
      const base = (await files({ server })).get('config/settings/base.py')!;
      expect(base).toContain('DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)');
      expect(base).toContain('DATABASES["default"]["CONN_HEALTH_CHECKS"] = True');
      expect(base).not.toContain('"pool"');
    }
  });

  it('ASGI + PostgreSQL: Django\'s psycopg pool instead (exclusive with CONN_MAX_AGE), sized from the environment', async () => {
    const out = await files({ server: 'uvicorn' });
    const base = out.get('config/settings/base.py')!;
    expect(base).toContain('DATABASES["default"]["CONN_MAX_AGE"] = 0\n');
    expect(base).toContain('"max_size": env.int("DATABASE_POOL_MAX_SIZE", default=8),');
    expect(out.get('pyproject.toml')).toContain('"psycopg[binary,pool]>=');
    expect(await envNames({ server: 'uvicorn' })).toContain('DATABASE_POOL_MAX_SIZE');
  });

  it('ASGI + MySQL: a connection per request, no pool', async () => {
    const base = (await files({ server: 'uvicorn', database: 'mysql' })).get('config/settings/base.py')!;
    expect(base).toContain('DATABASES["default"]["CONN_MAX_AGE"] = 0\n');
    expect(base).not.toContain('"pool"');
    expect(await envNames({ server: 'uvicorn', database: 'mysql' })).not.toContain('DATABASE_POOL_MAX_SIZE');
  });

  it('SQLite: WAL, a busy timeout and IMMEDIATE transactions; the README says it needs one persistent disk', async () => {
    const out = await files({ database: 'sqlite' });
    const base = out.get('config/settings/base.py')!;
    expect(base).toContain('"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",');
    expect(base).toContain('"transaction_mode": "IMMEDIATE",');
    expect(base).toMatch(/"timeout": \d+,/);
    expect(out.get('README.md')).toContain('it needs **one persistent disk**');
    expect((await files()).get('README.md')).not.toContain('one persistent disk');
  });

  it('the README states the connection budget against the server\'s limit', async () => {
    const readme = (await files({ database: 'mysql', celery: true })).get('README.md')!;
    expect(readme).toContain('| `web` | `WEB_CONCURRENCY` × `WEB_THREADS` | 16 |');
    expect(readme).toContain('| `worker` | `CELERY_WORKER_CONCURRENCY` | 2 |');
    expect(readme).toContain("`max_connections` (151 by default for MySQL/MariaDB");
    const asgi = (await files({ server: 'uvicorn' })).get('README.md')!;
    expect(asgi).toContain('| `web` | `WEB_CONCURRENCY` × `DATABASE_POOL_MAX_SIZE` | 16 |');
    expect(asgi).toContain('`max_connections` (100 by default for PostgreSQL');
  });
});

describe('static files under ASGI', () => {
  it('uvicorn projects stream static files with ServeStatic; WSGI projects keep WhiteNoise', async () => {
    const asgi = await files({ server: 'uvicorn' });
    expect(asgi.get('config/settings/base.py')).toContain('"servestatic.middleware.ServeStaticMiddleware",');
    expect(asgi.get('config/settings/base.py')).not.toContain('whitenoise');
    expect(asgi.get('config/settings/test.py')).toContain('SERVESTATIC_USE_FINDERS = True');
    const wsgi = await files();
    expect(wsgi.get('config/settings/base.py')).toContain('"whitenoise.middleware.WhiteNoiseMiddleware",');
    expect(wsgi.get('config/settings/base.py')).not.toContain('servestatic');
  });
});

describe('beat', () => {
  it('schedules on the wall clock (crontab), never a fixed interval that a restart resets', async () => {
    const base = (await files({ celery: true, beat: true })).get('config/settings/base.py')!;
    const schedule = base.slice(base.indexOf('CELERY_BEAT_SCHEDULE = {'));
    expect(schedule).toContain('"schedule": crontab(');
    expect(schedule).not.toMatch(/"schedule": [\d(]/);
    expect((await files({ celery: true, beat: true })).has('tests/test_beat.py')).toBe(true);
  });

  it('keeps its state file under a declared scratch path', async () => {
    const m = await model({ celery: true, beat: true });
    const beat = m.processes.find((p) => p.name === 'beat')!;
    const file = beat.command[beat.command.indexOf('--schedule') + 1]!;
    const beatPath = m.writablePaths.find((p) => file.startsWith(`${p.path}/`));
    expect(beatPath?.why).toContain('Celery beat');
  });
});
