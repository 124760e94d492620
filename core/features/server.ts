/** The application server: binds $PORT itself, WEB_CONCURRENCY workers, drains requests on SIGTERM. */
import type { Contribution, EnvVar, Feature } from '../feature.js';
import type { Answers } from '../options.js';
import { PY } from '../versions.js';
import { TIMEOUTS } from '../timeouts.js';

/** The web server drains for its graceful timeout; the platform waits a little longer. */
const WEB_STOP = TIMEOUTS.webGraceful + TIMEOUTS.stopMargin;

const GUNICORN = ['gunicorn', '--config', 'gunicorn.conf.py'];

/**
 * ASGI runs each request's sync code in a thread of its own that dies with the request, so
 * persistent connections would leak: ASGI projects use a connection pool (PostgreSQL) or none.
 */
export const isAsgi = (a: Answers): boolean => a.server === 'uvicorn';

/** WSGI: threads per worker, each may hold a database connection (the README's connection budget). */
export const WEB_THREADS: EnvVar = {
  name: 'WEB_THREADS',
  kind: { type: 'int', min: 1 },
  // bench:app: granian serves 1.5-3x more with 8 or 32 threads than with 4; 8 keeps the budget small.
  example: '8',
  description: 'Requests one web worker process runs at once (threads; each may hold a database connection)',
  factor: 'VIII',
};

/** Connections one worker accepts before pushing back, so a burst queues instead of piling up threads. */
const WEB_WORKER_CONNECTIONS: EnvVar = {
  name: 'WEB_WORKER_CONNECTIONS',
  kind: { type: 'int', min: 1 },
  example: '100',
  description: 'Connections one web worker process holds at once (idle keep-alive ones count); past it new ones wait or get 503',
  factor: 'VIII',
};

/** gunicorn's worker heartbeat files: in memory, writable under a read-only root file system; web only. */
const GUNICORN_HEARTBEAT = { path: '/dev/shm', why: "gunicorn's worker heartbeat files (a tmpfs the container runtime provides)", processes: ['web'] };

const VARIANTS: Record<string, Contribution> = {
  gunicorn: {
    files: ['gunicorn.conf.py'],
    requirements: [{ spec: PY.gunicorn }],
    processes: [{ name: 'web', command: [...GUNICORN, 'config.wsgi'], description: 'gunicorn, threaded WSGI workers', web: true, stopSeconds: WEB_STOP, concurrencyEnv: 'WEB_CONCURRENCY' }],
    loggers: ['gunicorn.error'],
    writablePaths: [GUNICORN_HEARTBEAT],
  },
  uvicorn: {
    files: ['gunicorn.conf.py'],
    requirements: [{ spec: PY.gunicorn }, { spec: PY.uvicornWorker }, { spec: PY.uvicorn }],
    processes: [{ name: 'web', command: [...GUNICORN, 'config.asgi'], description: 'gunicorn managing uvicorn ASGI workers', web: true, stopSeconds: WEB_STOP, concurrencyEnv: 'WEB_CONCURRENCY' }],
    loggers: ['gunicorn.error', 'uvicorn.error'],
    writablePaths: [GUNICORN_HEARTBEAT],
  },
  granian: {
    files: ['config/granian.py'],
    requirements: [{ spec: PY.granian }],
    processes: [{ name: 'web', command: ['python', '-m', 'config.granian'], description: 'granian, WSGI', web: true, stopSeconds: WEB_STOP, concurrencyEnv: 'WEB_CONCURRENCY' }],
    loggers: ['_granian'],
  },
};

export const server: Feature = {
  id: 'server',
  applies: () => true,
  contribute: (a) => {
    const variant = VARIANTS[a.server]!;
    const config = variant.files![0] as string;
    return {
      ...variant,
      env: [
        { name: 'PORT', kind: { type: 'int', min: 1, max: 65535 }, example: '8000', description: 'The port the web process binds on all interfaces', factor: 'VII', compose: '8000' },
        {
          name: 'WEB_CONCURRENCY',
          kind: { type: 'int', min: 1 },
          example: '2',
          description: 'Web worker processes per container; about one per CPU core',
          factor: 'VIII',
        },
        // ASGI runs each request in a thread of its own: the connection cap bounds those.
        ...(isAsgi(a) ? [] : [WEB_THREADS]),
        WEB_WORKER_CONNECTIONS,
      ],
      factors: [
        {
          factor: 'VII',
          text: `The ${a.server} web process binds \`0.0.0.0:$PORT\` itself; no web server in front is required`,
          files: [config],
        },
        {
          factor: 'IX',
          text: `Fast start, and SIGTERM lets in-flight requests finish within the graceful timeout (${a.server} owns the signals; the image runs it in exec form)`,
          files: [config, 'Dockerfile'],
        },
      ],
    };
  },
};
