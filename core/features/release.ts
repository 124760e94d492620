/** The release step: deploy checks and migrations, run once per deploy before new code serves traffic. */
import type { Feature } from '../feature.js';

export const release: Feature = {
  id: 'release',
  applies: () => true,
  contribute: () => ({
    files: ['release.sh', 'Procfile'],
    processes: [
      { name: 'release', command: ['./release.sh'], description: 'deploy checks and migrations, once per deploy', oneOff: true },
    ],
    factors: [
      {
        factor: 'V',
        text: 'Release: `release.sh` runs the deploy checks and migrations once per deploy, on the build; run: the Procfile processes',
        files: ['release.sh', 'Procfile'],
      },
      {
        factor: 'VIII',
        text: 'Each kind of work is a process type in the Procfile; scale web with `WEB_CONCURRENCY` and more containers (`docker compose up --scale web=3`)',
        files: ['Procfile', 'docker-compose.yml'],
      },
    ],
  }),
};
