/** WhiteNoise: the app serves its own compressed, far-future-cached static files. */
import type { Feature } from '../feature.js';
import { PY } from '../versions.js';

export const whitenoise: Feature = {
  id: 'whitenoise',
  applies: (a) => a.whitenoise,
  contribute: () => ({
    requirements: [{ spec: PY.whitenoise }],
    middleware: [{ path: 'whitenoise.middleware.WhiteNoiseMiddleware', after: 'django.middleware.security.SecurityMiddleware' }],
    settings: [
      { module: 'base', template: 'config/settings/partials/whitenoise.py.ejs' },
      { module: 'test', template: 'config/settings/partials/whitenoise-test.py.ejs' },
    ],
    buildSteps: [
      {
        comment: 'Static files are collected (and compressed) once, at build time.',
        run: 'python manage.py collectstatic --noinput',
      },
    ],
    factors: [
      {
        factor: 'V',
        text: 'Static files are collected and compressed into the image at build time; WhiteNoise serves them with far-future cache headers',
        files: ['Dockerfile', 'config/settings/base.py'],
      },
    ],
  }),
};
