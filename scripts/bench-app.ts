/**
 * `npm run bench:app`: how fast the generated app serves, per server (gunicorn, uvicorn, granian),
 * with PostgreSQL and Redis. Each project is generated, synced, released (its Procfile's `release`)
 * against a database of its own, and served from its Procfile's `web` command with production
 * settings; then autocannon (keep-alive, from loopback) loads two views the bench adds to its own
 * copy of the project (never to the templates): one that runs one query, one that runs none, both
 * behind the full middleware stack. Prints req/s, p50 and p99; asserts nothing.
 *
 *   BENCH_SERVERS=gunicorn,granian   which servers (default all three)
 *   BENCH_SECONDS=10                 load per view (each also capped at BENCH_MAX_REQUESTS)
 *   BENCH_CONNECTIONS=32             keep-alive connections
 *   BENCH_CLI=/path/to/cli.js        another build of the generator (e.g. main's, for before/after)
 *   BENCH_KEEP=1                     keep the generated projects
 *   WEB_THREADS=8 ...                the project's own tunables (WEB_*, DATABASE_CONN_MAX_AGE,
 *                                    DATABASE_POOL_MAX_SIZE), when set, reach the server as they are
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv, mustRun, type Env } from '../test/e2e/support/exec.js';
import { waitForHttp } from '../test/e2e/support/http.js';
import { createPostgres, freePort, giveBackRedisDb, requireServices, takeRedisDb } from '../test/e2e/support/services.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVERS = (process.env.BENCH_SERVERS ?? 'gunicorn,uvicorn,granian').split(',').filter(Boolean);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 200_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CLI = path.resolve(process.env.BENCH_CLI ?? path.join(REPO, 'lib/shell/cli.js'));
const AUTOCANNON = path.join(REPO, 'node_modules/.bin/autocannon');
const UV_CACHE_DIR = process.env.E2E_UV_CACHE_DIR ?? path.join(REPO, '.cache', 'uv');
const HOST = 'bench.example.com';
/** The generated project's server and connection tunables, passed through when set. */
const TUNABLES = /^(WEB_[A-Z_]+|DATABASE_CONN_MAX_AGE|DATABASE_POOL_MAX_SIZE)$/;

/** The bench's own views, in its copy of the project: behind every middleware, like any page. */
const BENCH_URLS = `"""Bench-only URLs: the project's URLs plus two views."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import include, path


def no_query(request):
    return HttpResponse("ok")


def one_query(request):
    return HttpResponse(str(get_user_model().objects.filter(pk=1).exists()))


urlpatterns = [
    path("bench/none/", no_query),
    path("bench/query/", one_query),
    path("", include("config.urls")),
]
`;
/** Ends in `.production`, as the server configs expect of production settings (JSON logs). */
const BENCH_SETTINGS = `"""Bench-only settings: production, with the bench's URLs."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
`;

interface Result {
  server: string;
  view: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

async function benchServer(server: string, work: string): Promise<Result[]> {
  const name = `bench-${server}`;
  const project = path.join(work, name);
  const uv: Env = { UV_CACHE_DIR, UV_PYTHON_DOWNLOADS: 'never', UV_NO_PROGRESS: '1' };
  const base = cleanEnv(uv);
  const flags = ['--yes', '--python', '3.11', '--django', '5.2', '--database', 'postgres', '--cache', 'redis', '--no-celery', '--server', server, '--whitenoise', '--skip-install', '--skip-git'];
  await mustRun(process.execPath, [CLI, name, ...flags], { cwd: work, env: base, timeoutMs: 120_000 }, 'generate');
  await mustRun('uv', ['sync', '--no-dev', '--python', '3.11'], { cwd: project, env: base, timeoutMs: 600_000 }, 'uv sync');
  mkdirSync(path.join(project, 'bench'));
  writeFileSync(path.join(project, 'bench', '__init__.py'), '');
  writeFileSync(path.join(project, 'bench', 'urls.py'), BENCH_URLS);
  writeFileSync(path.join(project, 'bench', 'production.py'), BENCH_SETTINGS);

  const db = await createPostgres(`bench_${server}_${process.pid}`, work);
  const redisDb = await takeRedisDb();
  try {
    const venv = path.join(project, '.venv');
    const env: Env = {
      ...base,
      VIRTUAL_ENV: venv,
      PATH: `${path.join(venv, 'bin')}:${base.PATH ?? ''}`,
      DJANGO_SETTINGS_MODULE: 'bench.production',
      DJANGO_SECRET_KEY: 'bench-only-'.repeat(6),
      DATABASE_URL: db.url,
      REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
      DJANGO_ALLOWED_HOSTS: HOST,
      DJANGO_LOG_LEVEL: 'INFO',
      WEB_CONCURRENCY: '2',
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => TUNABLES.test(k))),
    };
    const procfile: Record<string, string> = {};
    for (const line of readFileSync(path.join(project, 'Procfile'), 'utf8').split('\n')) {
      const m = /^(\w+):\s*(.+)$/.exec(line);
      if (m) procfile[m[1]!] = m[2]!;
    }
    await mustRun('/bin/sh', ['-c', `exec ${procfile.release}`], { cwd: project, env, timeoutMs: 300_000 }, 'release');
    await mustRun('python', ['manage.py', 'collectstatic', '--noinput'], { cwd: project, env, timeoutMs: 300_000 }, 'collectstatic');

    const port = await freePort();
    // Logs are part of the work: one JSON line per request, to a file rather than a pipe we would have to drain.
    const log = openSync(path.join(work, `${name}.log`), 'w');
    const web = spawn('/bin/sh', ['-c', `exec ${procfile.web}`], { cwd: project, env: { ...env, PORT: String(port) }, stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    try {
      await waitForHttp(port, '/healthz', { Host: '127.0.0.1' }, 60_000);
      const results: Result[] = [];
      for (const [view, url] of [
        ['one query', '/bench/query/'],
        ['no query', '/bench/none/'],
      ] as const) {
        await load(port, url, 2, 10_000); // warm up: every worker imported, connections made
        const r = await load(port, url, SECONDS, MAX_REQUESTS);
        results.push({ server, view, ...r });
      }
      return results;
    } finally {
      if (web.pid) process.kill(-web.pid, 'SIGTERM');
      await new Promise((r) => (web.exitCode !== null ? r(undefined) : web.once('exit', r)));
    }
  } finally {
    await db.drop();
    await giveBackRedisDb(redisDb);
  }
}

async function load(port: number, url: string, seconds: number, max: number): Promise<Omit<Result, 'server' | 'view'>> {
  const args = ['-j', '-c', String(CONNECTIONS), '-d', String(seconds), '-O', String(max), '-t', '10', '-H', `Host=${HOST}`, '-H', 'X-Forwarded-Proto=https', `http://127.0.0.1:${port}${url}`];
  const r = await mustRun(AUTOCANNON, args, { cwd: REPO, env: cleanEnv(), timeoutMs: (seconds + 30) * 1000 }, `autocannon ${url}`);
  const j = JSON.parse(r.stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return { rps: j.requests.average, p50: j.latency.p50, p99: j.latency.p99, requests: j.requests.total, non2xx: j.non2xx, errors: j.errors + j.timeouts };
}

await requireServices(['postgresql', 'redis']);
const work = mkdtempSync(path.join(os.tmpdir(), 'twelve-bench-app-'));
const all: Result[] = [];
const tuned = Object.keys(process.env).filter((k) => TUNABLES.test(k));
console.log(`generator: ${CLI}${tuned.length ? ` (${tuned.map((k) => `${k}=${process.env[k]}`).join(' ')})` : ''}\nload: autocannon, ${CONNECTIONS} keep-alive connections from loopback, ${SECONDS} s per view (at most ${MAX_REQUESTS} requests), WEB_CONCURRENCY=2, ${os.cpus().length} CPUs`);
try {
  for (const server of SERVERS) {
    const results = await benchServer(server, work);
    for (const r of results) {
      all.push(r);
      console.log(
        `${r.server.padEnd(9)} ${r.view.padEnd(10)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms` +
          `  (${r.requests} requests${r.non2xx ? `, ${r.non2xx} not 2xx` : ''}${r.errors ? `, ${r.errors} errors` : ''})`,
      );
    }
  }
} finally {
  if (process.env.BENCH_KEEP === '1') console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
