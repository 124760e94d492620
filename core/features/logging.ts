/** One stream of events on stdout: readable in development, JSON lines in production, a request id on each. */
import type { Feature } from '../feature.js';
import { PY } from '../versions.js';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;

export const logging: Feature = {
  id: 'logging',
  applies: () => true,
  contribute: (_a, slug) => ({
    files: ['config/logging.py', '__slug__/request_id.py', 'tests/test_logging.py'],
    requirements: [{ spec: PY.jsonLogger }],
    middleware: [{ path: `${slug}.request_id.RequestIdMiddleware`, after: 'django.middleware.security.SecurityMiddleware' }],
    env: [
      {
        name: 'DJANGO_LOG_LEVEL',
        kind: { type: 'choice', values: LOG_LEVELS },
        example: 'INFO',
        description: 'Lowest level written to stdout',
        factor: 'XI',
      },
    ],
    factors: [
      {
        factor: 'XI',
        text: 'Logs are one event stream on stdout: readable lines in development, one JSON object per line in production, each request with its id (`X-Request-ID`)',
        files: ['config/logging.py', `${slug}/request_id.py`],
      },
    ],
  }),
};
