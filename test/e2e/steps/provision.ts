/**
 * Step 0: the backing services this combination needs are up, and it gets its own database,
 * Redis database numbers and RabbitMQ vhost, which are dropped when it ends.
 */
import path from 'node:path';
import { servicesFor } from '../combinations.js';
import type { Context } from '../support/context.js';
import {
  createMariadb,
  createPostgres,
  createVhost,
  giveBackRedisDb,
  requireServices,
  sqliteDatabase,
  takeRedisDb,
  type Database,
} from '../support/services.js';
import type { Step } from '../support/step.js';

async function redisDb(ctx: Context): Promise<string> {
  const n = await takeRedisDb();
  ctx.cleanups.push(() => giveBackRedisDb(n));
  return `redis://127.0.0.1:6379/${n}`;
}

export const provision: Step = {
  id: 'provision',
  title: 'backing services up; a fresh database, Redis databases and vhost',
  after: [],
  async run(ctx) {
    const c = ctx.combo;
    await requireServices(servicesFor(c));

    let db: Database;
    if (c.database === 'postgres') db = await createPostgres(ctx.resourceName, ctx.work);
    else if (c.database === 'mysql') db = await createMariadb(ctx.resourceName, ctx.work);
    else db = sqliteDatabase(path.join(ctx.work, 'db.sqlite3'));
    ctx.cleanups.push(() => db.drop());
    ctx.provisioned.databaseUrl = db.url;

    if (c.cache === 'redis') ctx.provisioned.cacheEnv = { REDIS_URL: await redisDb(ctx) };
    if (c.cache === 'memcached') ctx.provisioned.cacheEnv = { CACHE_URL: 'pymemcache://127.0.0.1:11211' };

    if (c.broker === 'redis') {
      ctx.provisioned.brokerEnv = { CELERY_BROKER_URL: await redisDb(ctx), CELERY_RESULT_BACKEND: await redisDb(ctx) };
    } else if (c.broker === 'rabbitmq') {
      const vhost = await createVhost(ctx.resourceName, ctx.work);
      ctx.cleanups.push(() => vhost.drop());
      ctx.provisioned.brokerEnv = {
        CELERY_BROKER_URL: `amqp://guest:guest@127.0.0.1:5672/${vhost.name}`,
        CELERY_RESULT_BACKEND: 'rpc://',
      };
    }
    ctx.note(
      `provision: DATABASE_URL=${db.url} ${Object.entries({ ...ctx.provisioned.cacheEnv, ...ctx.provisioned.brokerEnv })
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  },
};
