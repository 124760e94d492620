/** Every feature, in the order their contributions are folded (the order settings, env vars and processes appear). */
import type { Feature } from '../feature.js';
import { cache } from './cache.js';
import { celery } from './celery.js';
import { ci } from './ci.js';
import { container } from './container.js';
import { database } from './database.js';
import { health } from './health.js';
import { kubernetes } from './kubernetes.js';
import { logging } from './logging.js';
import { project } from './project.js';
import { release } from './release.js';
import { security } from './security.js';
import { server } from './server.js';
import { users } from './users.js';
import { whitenoise } from './whitenoise.js';

export const FEATURES: readonly Feature[] = [
  project,
  users,
  security,
  logging,
  health,
  database,
  cache,
  server,
  release,
  celery,
  whitenoise,
  container,
  ci,
  kubernetes,
];
