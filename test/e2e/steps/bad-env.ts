/**
 * Bad environment values (issue 7 item 12): each real entry point (`manage.py`, `release.sh`, the
 * Procfile's `web`, and `worker` with Celery), given one variable set to something it cannot use,
 * exits 1 with exactly one line on stderr that names the variable, and no traceback, before it
 * serves or consumes anything.
 */
import type { Context } from '../support/context.js';
import { run, StepFailure, type Env } from '../support/exec.js';
import { procfileCommand } from '../support/processes.js';
import type { Step } from '../support/step.js';

interface Case {
  variable: string;
  value: string;
  /** Where it is tried: the entry points that read it. */
  entries: readonly Entry[];
}

type Entry = 'manage.py' | 'release.sh' | 'web' | 'worker';

function cases(ctx: Context): Case[] {
  const c = ctx.combo;
  const all: Entry[] = ['manage.py', 'release.sh', 'web', ...(c.celery ? (['worker'] as const) : [])];
  const out: Case[] = [
    { variable: 'DJANGO_DEBUG', value: 'maybe', entries: all },
    { variable: 'PORT', value: 'abc', entries: ['web'] },
    { variable: 'WEB_CONCURRENCY', value: '0', entries: ['web'] },
    { variable: 'DJANGO_LOG_LEVEL', value: 'loud', entries: ['manage.py'] },
    // A driver this project does not have (SQL Server), and on SQLite projects a server database.
    { variable: 'DATABASE_URL', value: c.database === 'sqlite' ? 'postgres://u:p@127.0.0.1/x' : 'mssql://u:p@127.0.0.1/x', entries: ['manage.py'] },
  ];
  // python-memcached's scheme: the backend it names was removed in Django 4.1.
  if (c.cache === 'redis') out.push({ variable: 'REDIS_URL', value: 'memcache://127.0.0.1:11211', entries: ['web'] });
  if (c.cache === 'memcached') out.push({ variable: 'CACHE_URL', value: 'memcache://127.0.0.1:11211', entries: ['web'] });
  if (c.celery) out.push({ variable: 'CELERY_WORKER_CONCURRENCY', value: '0', entries: ['worker'] });
  // The server and connection tunables, where this project reads them (its .env.example lists exactly those).
  const declared = ctx.read('.env.example');
  const tunables: Case[] = [
    { variable: 'WEB_THREADS', value: '0', entries: ['web'] },
    { variable: 'WEB_WORKER_CONNECTIONS', value: 'abc', entries: ['web'] },
    { variable: 'DATABASE_CONN_MAX_AGE', value: '-1', entries: ['manage.py'] },
    { variable: 'DATABASE_POOL_MAX_SIZE', value: '0', entries: ['manage.py'] },
  ];
  out.push(...tunables.filter((t) => new RegExp(`^${t.variable}=`, 'm').test(declared)));
  return out;
}

async function runEntry(ctx: Context, entry: Entry, env: Env) {
  const o = { cwd: ctx.project, env, timeoutMs: 60_000 };
  if (entry === 'manage.py') return run('python', ['manage.py', 'check'], o);
  if (entry === 'release.sh') return run('./release.sh', [], o);
  // The Procfile line, as a platform starts it; a bad value must stop it before it serves.
  return run('/bin/sh', ['-c', `exec ${procfileCommand(ctx, entry)}`], o);
}

export const badEnv: Step = {
  id: 'bad-env',
  title: 'a bad environment value: one line naming it, exit 1, every entry point',
  after: ['live-in', 'provision'],
  async run(ctx: Context) {
    const failures: string[] = [];
    let tried = 0;
    for (const k of cases(ctx)) {
      for (const entry of k.entries) {
        tried++;
        const r = await runEntry(ctx, entry, ctx.prodEnv({ [k.variable]: k.value }));
        const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
        const what = `${entry} with ${k.variable}=${k.value}`;
        if (r.timedOut) failures.push(`${what}: still running after 60 s; it must refuse to start\n${r.output.slice(-800)}`);
        else if (r.code !== 1) failures.push(`${what}: exit ${r.code ?? r.signal}, want 1\n${r.output.slice(-800)}`);
        else if (lines.length !== 1 || !lines[0]!.includes(k.variable) || /Traceback/.test(r.output)) {
          failures.push(`${what}: want exactly one stderr line naming ${k.variable}, got ${lines.length}:\n${r.stderr.slice(-1200)}`);
        } else if (tried <= 3 || /_URL$|^WEB_THREADS$|^WEB_WORKER_CONNECTIONS$|^DATABASE_/.test(k.variable)) ctx.note(`bad-env: ${what}: ${lines[0]}`);
      }
    }
    if (failures.length) throw new StepFailure(`${failures.length} of ${tried} bad-value runs did not give one clear line:\n- ${failures.join('\n- ')}`);
  },
};
