/** The database behind DATABASE_URL: driver, settings, compose service. */
import type { Contribution, EnvVar, Feature, SettingsPartial } from '../feature.js';
import { choiceTitle, type Answers } from '../options.js';
import { IMAGES, PY } from '../versions.js';
import { isAsgi } from './server.js';

/** SQLite is always there (Python ships it); the server databases need their driver, which only the chosen one has. */
const shared = (schemes: readonly string[], example: string, local: string, compose: string, buildTime: string, ci?: string): Contribution['env'] => [
  {
    name: 'DATABASE_URL',
    kind: { type: 'url', schemes: [...schemes, 'sqlite'] },
    example,
    local,
    description: 'Database connection URL; unset in development means a local SQLite file',
    factor: 'IV',
    required: true,
    secret: true,
    compose,
    // the project's own kind of URL, so its settings see what they expect; nothing connects at build time
    buildTime,
    ...(ci ? { ci } : {}),
  },
];

/**
 * How web processes hold connections. WSGI threads keep theirs between requests (checked before
 * reuse); under ASGI each request runs in a thread of its own, so PostgreSQL gets Django's psycopg
 * pool (exclusive with CONN_MAX_AGE) and other databases connect per request.
 */
type Connections = 'persistent' | 'pool' | 'per-request';
const connectionsFor = (a: Answers): Connections => (!isAsgi(a) ? 'persistent' : a.database === 'postgres' ? 'pool' : 'per-request');

const CONN_MAX_AGE: EnvVar = {
  name: 'DATABASE_CONN_MAX_AGE',
  // 0 closes the connection after each request (Django's own meaning).
  kind: { type: 'int', min: 0 },
  example: '60',
  description: 'Seconds a web thread keeps its database connection for the next request (0: connect per request)',
  factor: 'IV',
};
const POOL_MAX_SIZE: EnvVar = {
  name: 'DATABASE_POOL_MAX_SIZE',
  kind: { type: 'int', min: 1 },
  // As many as a WSGI worker's threads (WEB_THREADS): the same budget whichever the server.
  example: '8',
  description: 'Database connections in one web worker process\'s pool; requests past it wait for one',
  factor: 'IV',
};

/** The web process's share of the connection budget, as a product of environment variables. */
const WEB_CONNECTIONS: Record<Connections, readonly string[]> = {
  persistent: ['WEB_CONCURRENCY', 'WEB_THREADS'],
  pool: ['WEB_CONCURRENCY', 'DATABASE_POOL_MAX_SIZE'],
  'per-request': ['WEB_CONCURRENCY', 'WEB_WORKER_CONNECTIONS'],
};

const VARIANTS: Record<string, (slug: string, a: Answers) => Contribution> = {
  postgres: (slug, a) => ({
    requirements: [{ spec: connectionsFor(a) === 'pool' ? PY.psycopgPool : PY.psycopg }],
    env: shared(
      ['postgres', 'postgresql', 'pgsql'],
      `postgres://USER:PASSWORD@HOST:5432/${slug}`,
      `postgres://postgres:postgres@127.0.0.1:5432/${slug}`,
      `postgres://postgres:postgres@db:5432/${slug}`,
      'postgres://build-time-placeholder@localhost:5432/unused',
    ),
    settings: [{ module: 'base', template: 'config/settings/partials/database-postgres.py.ejs' }],
    services: [
      {
        name: 'db',
        image: IMAGES.postgres,
        environment: { POSTGRES_DB: slug, POSTGRES_PASSWORD: 'postgres' },
        healthcheck: { test: ['CMD-SHELL', 'pg_isready -U postgres'], interval: '5s', timeout: '3s', retries: 10 },
        // The postgres 18 image keeps its data in a versioned directory under /var/lib/postgresql.
        volumePath: '/var/lib/postgresql',
        port: 5432,
      },
    ],
    connectionLimit: { setting: 'max_connections', value: 100 },
  }),
  mysql: (slug) => ({
    requirements: [{ spec: PY.mysqlclient }],
    env: shared(
      ['mysql'],
      `mysql://USER:PASSWORD@HOST:3306/${slug}`,
      `mysql://app:app@127.0.0.1:3306/${slug}`,
      `mysql://app:app@db:3306/${slug}`,
      'mysql://build-time-placeholder@localhost:3306/unused',
      // The tests create and drop test_<name>: in CI they connect as root.
      `mysql://root:root@127.0.0.1:3306/${slug}`,
    ),
    settings: [{ module: 'base', template: 'config/settings/partials/database-mysql.py.ejs' }],
    buildPackages: ['build-essential', 'pkg-config', 'default-libmysqlclient-dev'],
    runtimePackages: ['libmariadb3'],
    services: [
      {
        name: 'db',
        image: IMAGES.mariadb,
        environment: {
          MARIADB_DATABASE: slug,
          MARIADB_USER: 'app',
          MARIADB_PASSWORD: 'app',
          MARIADB_RANDOM_ROOT_PASSWORD: '1',
        },
        ciEnvironment: { MARIADB_DATABASE: slug, MARIADB_ROOT_PASSWORD: 'root' },
        healthcheck: { test: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'], interval: '5s', timeout: '3s', retries: 10 },
        volumePath: '/var/lib/mysql',
        port: 3306,
      },
    ],
    connectionLimit: { setting: 'max_connections', value: 151 },
  }),
  sqlite: () => ({
    env: shared([], 'sqlite:////data/db.sqlite3', 'sqlite:///db.sqlite3', 'sqlite:////data/db.sqlite3', 'sqlite:////tmp/build-time-placeholder.sqlite3'),
    settings: [{ module: 'base', template: 'config/settings/partials/database-sqlite.py.ejs' }],
    // The database file must outlive the container: a volume the app user can write.
    appVolumes: [{ name: 'data', path: '/data' }],
    readme: [
      'SQLite keeps everything in one file: it needs **one persistent disk** that every process of this app mounts ' +
        '(the `data` volume in `docker-compose.yml`), on one machine. A platform with an ephemeral or per-container ' +
        'file system (Heroku, most PaaS, Kubernetes without a ReadWriteOnce volume and one replica) loses the data ' +
        'at every deploy: use PostgreSQL or MySQL there.',
    ],
  }),
};

export const database: Feature = {
  id: 'database',
  applies: () => true,
  contribute: (a, slug) => {
    const variant = VARIANTS[a.database]!(slug, a);
    const connections = connectionsFor(a);
    const partial: SettingsPartial = {
      module: 'base',
      template: 'config/settings/partials/database-connections.py.ejs',
      data: { connections },
    };
    return {
      ...variant,
      summary: choiceTitle('database', a.database),
      // Development without DATABASE_URL uses a SQLite file next to the code.
      localState: ['db.sqlite3'],
      env: [...variant.env!, ...(connections === 'persistent' ? [CONN_MAX_AGE] : connections === 'pool' ? [POOL_MAX_SIZE] : [])],
      settings: [...variant.settings!, partial],
      connections: [
        { process: 'web', count: WEB_CONNECTIONS[connections] },
        { process: 'release', count: ['1'] },
      ],
      factors: [
        {
          factor: 'IV',
          text: `The ${choiceTitle('database', a.database)} database is attached through \`DATABASE_URL\`: moving to a managed one is a change of environment, not of code`,
          files: ['config/settings/base.py'],
        },
      ],
    };
  },
};
