/** Celery: the app, settings from the environment, an example task, worker and (optionally) beat processes. */
import type { Contribution, Feature } from '../feature.js';
import { choiceTitle } from '../options.js';
import { IMAGES, PY } from '../versions.js';
import { TIMEOUTS } from '../timeouts.js';
import { REDIS_DATABASES, REDIS_SERVICE, redisUrls } from './cache.js';

const BROKERS: Record<string, (slug: string) => Contribution> = {
  redis: () => ({
    requirements: [{ spec: PY.celeryRedis }],
    env: [
      {
        name: 'CELERY_BROKER_URL',
        kind: { type: 'url', schemes: ['redis', 'rediss'] },
        ...redisUrls(REDIS_DATABASES.broker),
        description: 'Celery broker; a Redis database apart from the cache',
        factor: 'IV',
        required: true,
        secret: true,
        buildTime: 'redis://localhost:6379/0',
      },
      {
        name: 'CELERY_RESULT_BACKEND',
        kind: { type: 'url', schemes: ['redis', 'rediss'] },
        ...redisUrls(REDIS_DATABASES.results),
        description: 'Where task results are kept; a Redis database apart from the broker and the cache',
        factor: 'IV',
        secret: true,
      },
    ],
    services: [REDIS_SERVICE],
  }),
  rabbitmq: () => ({
    requirements: [{ spec: PY.celery }],
    env: [
      {
        name: 'CELERY_BROKER_URL',
        kind: { type: 'url', schemes: ['amqp', 'amqps', 'pyamqp'] },
        example: 'amqp://USER:PASSWORD@HOST:5672//',
        local: 'amqp://app:app@127.0.0.1:5672//',
        description: 'Celery broker (RabbitMQ)',
        factor: 'IV',
        required: true,
        secret: true,
        compose: 'amqp://app:app@rabbitmq:5672//',
        buildTime: 'amqp://localhost:5672//',
      },
      {
        name: 'CELERY_RESULT_BACKEND',
        kind: { type: 'url', schemes: ['rpc'] },
        example: 'rpc://',
        description: 'Where task results are kept; rpc:// sends them back over the broker',
        factor: 'IV',
        compose: 'rpc://',
      },
    ],
    services: [
      {
        name: 'rabbitmq',
        image: IMAGES.rabbitmq,
        environment: { RABBITMQ_DEFAULT_USER: 'app', RABBITMQ_DEFAULT_PASS: 'app' },
        healthcheck: { test: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'], interval: '10s', timeout: '5s', retries: 10 },
        port: 5672,
      },
    ],
  }),
};

/**
 * Where beat keeps its state (when each entry last ran). Scratch, not a volume: the schedules are
 * crontab, on the wall clock, so a beat that starts with no state still sends each entry at its
 * time; a persistent volume would only catch up a run missed while beat was down at that minute.
 */
const BEAT_STATE_DIR = '/tmp';

export const celery: Feature = {
  id: 'celery',
  applies: (a) => a.celery,
  contribute: (a, slug) => {
    const broker = BROKERS[a.broker ?? 'redis']!(slug);
    return {
      ...broker,
      summary: `Celery on ${choiceTitle('broker', a.broker ?? 'redis')}${a.beat ? ' with beat' : ''}`,
      // A `celery beat` started by hand without --schedule keeps its state next to the code.
      ...(a.beat ? { localState: ['celerybeat-schedule*'] } : {}),
      files: ['config/celery.py', '__slug__/tasks.py', 'tests/test_tasks.py', ...(a.beat ? ['tests/test_beat.py'] : [])],
      env: [
        ...broker.env!,
        {
          name: 'CELERY_WORKER_CONCURRENCY',
          kind: { type: 'int', min: 1 },
          example: '2',
          description: 'Tasks one worker process runs at once',
          factor: 'VIII',
        },
      ],
      settings: [
        { module: 'base', template: 'config/settings/partials/celery.py.ejs' },
        { module: 'test', template: 'config/settings/partials/celery-test.py.ejs' },
      ],
      loggers: ['celery'],
      ...(a.beat
        ? {
            writablePaths: [
              {
                path: BEAT_STATE_DIR,
                why: "Celery beat's schedule state (when each entry last ran); may start empty, the schedules are on the wall clock",
                processes: ['beat'],
              },
            ],
          }
        : {}),
      // Each worker child process holds one database connection while it runs a task.
      connections: [{ process: 'worker', count: ['CELERY_WORKER_CONCURRENCY'] }],
      configImports: ['from .celery import app as celery_app', '', '__all__ = ("celery_app",)'],
      // --quiet drops Celery's ASCII banner, so production stdout stays JSON lines only.
      processes: [
        {
          name: 'worker',
          command: ['celery', '--app', 'config', '--quiet', 'worker', '--loglevel', 'INFO', '--without-mingle'],
          description: 'Celery worker; acks late, so a task cut off by a deploy runs again',
          // A warm shutdown waits for running tasks, which the hard time limit bounds.
          stopSeconds: TIMEOUTS.taskHard + TIMEOUTS.stopMargin,
          // Celery's default queue (no task_default_queue set).
          queue: { name: 'celery', brokerUrlEnv: 'CELERY_BROKER_URL' },
        },
        ...(a.beat
          ? [
              {
                name: 'beat',
                command: ['celery', '--app', 'config', '--quiet', 'beat', '--loglevel', 'INFO', '--schedule', `${BEAT_STATE_DIR}/celerybeat-schedule-${slug}`],
                description: 'Celery beat; run exactly one',
                stopSeconds: TIMEOUTS.beatGraceful,
                singleton: true,
              },
            ]
          : []),
      ],
      factors: [
        {
          factor: 'IV',
          text: `The ${choiceTitle('broker', a.broker ?? 'redis')} broker is attached through \`CELERY_BROKER_URL\``,
          files: ['config/settings/base.py', 'config/celery.py'],
        },
        {
          factor: 'VIII',
          text: `Background work runs in \`worker\` processes${a.beat ? ' and exactly one `beat`' : ''}, scaled apart from web`,
          files: ['Procfile', 'config/celery.py'],
        },
        {
          factor: 'IX',
          text: 'On SIGTERM the worker finishes its current tasks; with `acks_late`, a task lost to a killed worker is redelivered (tasks must be idempotent)',
          files: ['config/settings/base.py'],
        },
        {
          factor: 'IX',
          text: `Where the platform kills ${TIMEOUTS.platformKill} s after SIGTERM whatever runs (Heroku), set \`REMAP_SIGTERM=SIGQUIT\` for the worker: running tasks get ${TIMEOUTS.platformKill - TIMEOUTS.stopMargin} s (\`CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT\`), the rest is requeued at once`,
          files: ['config/settings/base.py', 'Procfile'],
        },
      ],
    };
  },
};
