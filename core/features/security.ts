/** Production hardening: HTTPS behind a proxy, HSTS, secure cookies; `check --deploy` passes clean. */
import type { Feature } from '../feature.js';

export const security: Feature = {
  id: 'security',
  applies: () => true,
  contribute: () => ({
    env: [
      {
        name: 'DJANGO_SECURE_SSL_REDIRECT',
        kind: { type: 'bool' },
        example: 'True',
        description: 'Redirect plain HTTP to HTTPS (the proxy must send X-Forwarded-Proto)',
        factor: 'III',
        compose: 'False',
      },
      {
        name: 'DJANGO_SECURE_HSTS_SECONDS',
        kind: { type: 'int', min: 0 },
        example: '31536000',
        description: 'How long browsers must use HTTPS only; start low (3600) on a new domain',
        factor: 'III',
      },
    ],
  }),
};
