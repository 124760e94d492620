/** WhiteNoise: the app serves its own compressed, far-future-cached static files. */
import type { Feature } from '../feature.js';
import { PY } from '../versions.js';
import { isAsgi } from './server.js';

/**
 * Under Django's ASGI handler WhiteNoise's sync middleware answers with a sync file iterator, which
 * Django reads whole into memory before sending (`StreamingHttpResponse.__aiter__`). ASGI projects
 * get ServeStatic instead: WhiteNoise's fork, with an async middleware that streams files.
 */
const LIBRARIES = {
  wsgi: {
    name: 'WhiteNoise',
    spec: PY.whitenoise,
    middleware: 'whitenoise.middleware.WhiteNoiseMiddleware',
    storage: 'whitenoise.storage.CompressedManifestStaticFilesStorage',
    settingsPrefix: 'WHITENOISE',
  },
  asgi: {
    name: 'ServeStatic',
    spec: PY.servestatic,
    middleware: 'servestatic.middleware.ServeStaticMiddleware',
    storage: 'servestatic.storage.CompressedManifestStaticFilesStorage',
    settingsPrefix: 'SERVESTATIC',
  },
} as const;

export const whitenoise: Feature = {
  id: 'whitenoise',
  applies: (a) => a.whitenoise,
  contribute: (a) => {
    const lib = LIBRARIES[isAsgi(a) ? 'asgi' : 'wsgi'];
    const data = { name: lib.name, storage: lib.storage, settingsPrefix: lib.settingsPrefix };
    return {
      summary: 'static files served by the app itself',
      requirements: [{ spec: lib.spec }],
      middleware: [{ path: lib.middleware, after: 'django.middleware.security.SecurityMiddleware' }],
      settings: [
        { module: 'base', template: 'config/settings/partials/whitenoise.py.ejs', data },
        { module: 'test', template: 'config/settings/partials/whitenoise-test.py.ejs', data },
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
          text: `Static files are collected and compressed into the image at build time; ${lib.name} serves them with far-future cache headers${
            isAsgi(a) ? ' (WhiteNoise\'s fork that streams files under ASGI instead of reading them whole into memory)' : ''
          }`,
          files: ['Dockerfile', 'config/settings/base.py'],
        },
      ],
    };
  },
};
