/** The database behind DATABASE_URL: driver, settings, compose service. */
import type { Contribution, Feature } from '../feature.js';
import { choiceTitle } from '../options.js';
import { IMAGES, PY } from '../versions.js';

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

const VARIANTS: Record<string, (slug: string) => Contribution> = {
  postgres: (slug) => ({
    requirements: [{ spec: PY.psycopg }],
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
  }),
  sqlite: () => ({
    env: shared([], 'sqlite:////data/db.sqlite3', 'sqlite:///db.sqlite3', 'sqlite:////data/db.sqlite3', 'sqlite:////tmp/build-time-placeholder.sqlite3'),
    settings: [{ module: 'base', template: 'config/settings/partials/database-sqlite.py.ejs' }],
    // The database file must outlive the container: a volume the app user can write.
    appVolumes: [{ name: 'data', path: '/data' }],
  }),
};

export const database: Feature = {
  id: 'database',
  applies: () => true,
  contribute: (a, slug) => ({
    ...VARIANTS[a.database]!(slug),
    factors: [
      {
        factor: 'IV',
        text: `The ${choiceTitle('database', a.database)} database is attached through \`DATABASE_URL\`: moving to a managed one is a change of environment, not of code`,
        files: ['config/settings/base.py'],
      },
    ],
  }),
};
