/** Liveness and readiness endpoints, answered before host checks and the HTTPS redirect. */
import type { Feature } from '../feature.js';

export const health: Feature = {
  id: 'health',
  applies: () => true,
  contribute: (_a, slug) => ({
    files: ['__slug__/health.py', 'tests/test_health.py'],
    middleware: [{ path: `${slug}.health.HealthCheckMiddleware`, first: true }],
    factors: [
      {
        factor: 'IX',
        text: '`/healthz` (alive, no database) and `/readyz` (503 without the database; a cache outage is reported as degraded, with 200, so it never takes every replica out at once) let the platform route traffic only to ready processes',
        files: [`${slug}/health.py`],
      },
    ],
  }),
};
