/** The image and the local stack: Dockerfile, .dockerignore, docker-compose.yml, hadolint config. */
import type { Feature } from '../feature.js';

export const container: Feature = {
  id: 'container',
  applies: () => true,
  contribute: (a) => ({
    files: ['Dockerfile', '.dockerignore', '.hadolint.yaml', 'docker-compose.yml'],
    // Temporary files (gunicorn's worker heartbeat, uploads in progress, Python's tempfile): the only
    // place a process writes besides its declared volumes, so the root file system can be read-only.
    writablePaths: [{ path: '/tmp', why: 'temporary files' }],
    factors: [
      {
        factor: 'X',
        text: `docker compose runs the same backing services as production, and the image runs the same Python ${a.python} as \`.python-version\``,
        files: ['docker-compose.yml', 'Dockerfile'],
      },
    ],
  }),
};
