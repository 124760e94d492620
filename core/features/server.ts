/** The application server: binds $PORT itself, WEB_CONCURRENCY workers, drains requests on SIGTERM. */
import type { Contribution, Feature } from '../feature.js';
import { PY } from '../versions.js';
import { TIMEOUTS } from '../timeouts.js';

/** The web server drains for its graceful timeout; the platform waits a little longer. */
const WEB_STOP = TIMEOUTS.webGraceful + TIMEOUTS.stopMargin;

const GUNICORN = ['gunicorn', '--config', 'gunicorn.conf.py'];

const VARIANTS: Record<string, Contribution> = {
  gunicorn: {
    files: ['gunicorn.conf.py'],
    requirements: [{ spec: PY.gunicorn }],
    processes: [{ name: 'web', command: [...GUNICORN, 'config.wsgi'], description: 'gunicorn, threaded WSGI workers', web: true, stopSeconds: WEB_STOP, concurrencyEnv: 'WEB_CONCURRENCY' }],
    loggers: ['gunicorn.error'],
  },
  uvicorn: {
    files: ['gunicorn.conf.py'],
    requirements: [{ spec: PY.gunicorn }, { spec: PY.uvicornWorker }, { spec: PY.uvicorn }],
    processes: [{ name: 'web', command: [...GUNICORN, 'config.asgi'], description: 'gunicorn managing uvicorn ASGI workers', web: true, stopSeconds: WEB_STOP, concurrencyEnv: 'WEB_CONCURRENCY' }],
    loggers: ['gunicorn.error', 'uvicorn.error'],
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
    const config = variant.files![0]!;
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
