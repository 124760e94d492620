/** The cache: Redis (REDIS_URL), Memcached (CACHE_URL) or per-process local memory. */
import type { Contribution, Feature } from '../feature.js';
import { IMAGES, PY } from '../versions.js';
import { choiceTitle } from '../options.js';

export const REDIS_SERVICE = {
  name: 'redis',
  image: IMAGES.redis,
  healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '5s', timeout: '3s', retries: 10 },
  port: 6379,
} as const;

/**
 * One Redis server, a database apart for each use (the cache, Celery's broker and its results): the URLs of the
 * env contract are made from these numbers, and KEDA's Redis trigger reads the broker's back from its URL.
 */
export const REDIS_DATABASES = { cache: 0, broker: 1, results: 2 } as const;

/** The example, local and compose URLs of one Redis database. */
export function redisUrls(db: number): { example: string; local: string; compose: string } {
  const at = (host: string) => `redis://${host}:${REDIS_SERVICE.port}/${db}`;
  return { example: at('HOST'), local: at('127.0.0.1'), compose: at(REDIS_SERVICE.name) };
}

const VARIANTS: Record<string, Contribution> = {
  redis: {
    requirements: [{ spec: PY.redis }],
    env: [
      {
        name: 'REDIS_URL',
        kind: { type: 'url', schemes: ['redis', 'rediss', 'locmemcache', 'dummycache'] },
        ...redisUrls(REDIS_DATABASES.cache),
        description: 'Redis for the cache and cached sessions; unset means local memory',
        factor: 'IV',
        secret: true,
      },
    ],
    settings: [{ module: 'base', template: 'config/settings/partials/cache-url.py.ejs', data: { variable: 'REDIS_URL' } }],
    services: [REDIS_SERVICE],
    factors: [{ factor: 'IV', text: 'The Redis cache is attached through `REDIS_URL`', files: ['config/settings/base.py'] }],
  },
  memcached: {
    requirements: [{ spec: PY.pymemcache }],
    env: [
      {
        name: 'CACHE_URL',
        // memcache:// (python-memcached) names a backend Django removed in 4.1: pymemcache:// replaces it.
        kind: { type: 'url', schemes: ['pymemcache', 'locmemcache', 'dummycache'] },
        example: 'pymemcache://HOST:11211',
        local: 'pymemcache://127.0.0.1:11211',
        description: 'Memcached for the cache and cached sessions; unset means local memory',
        factor: 'IV',
        compose: 'pymemcache://memcached:11211',
      },
    ],
    settings: [{ module: 'base', template: 'config/settings/partials/cache-url.py.ejs', data: { variable: 'CACHE_URL' } }],
    services: [
      {
        name: 'memcached',
        image: IMAGES.memcached,
        healthcheck: { test: ['CMD-SHELL', 'echo stats | nc 127.0.0.1 11211 | grep -q uptime'], interval: '5s', timeout: '3s', retries: 10 },
        port: 11211,
      },
    ],
    factors: [{ factor: 'IV', text: 'The Memcached cache is attached through `CACHE_URL`', files: ['config/settings/base.py'] }],
  },
  none: {
    settings: [{ module: 'base', template: 'config/settings/partials/cache-local.py.ejs' }],
  },
};

export const cache: Feature = {
  id: 'cache',
  applies: () => true,
  contribute: (a) => ({ ...VARIANTS[a.cache]!, summary: a.cache === 'none' ? 'no shared cache' : `${choiceTitle('cache', a.cache)} cache` }),
};
