/** Starting the Procfile's process types the way a platform would: `/bin/sh -c "exec <command>"`. */
import { readFileSync } from 'node:fs';
import type { Context } from './context.js';
import { Background, StepFailure, type Env } from './exec.js';
import { freePort } from './services.js';
import { waitForHttp } from './http.js';

export function procfileCommand(ctx: Context, type: string): string {
  const cmd = ctx.procfile()[type];
  if (!cmd) throw new StepFailure(`the Procfile has no "${type}:" line:\n${ctx.read('Procfile')}`);
  return cmd;
}

/**
 * Starts a Procfile process with the given environment the way honcho and Heroku do, through
 * `/bin/sh -c`; with `exec`, the process's pid is the command's own, so signals reach it directly.
 */
export function startProcess(ctx: Context, type: string, env: Env): Background {
  const cmd = procfileCommand(ctx, type);
  return new Background('/bin/sh', ['-c', `exec ${cmd}`], { cwd: ctx.project, env });
}

export interface Web {
  proc: Background;
  port: number;
}

/** Starts `web` on a free port and waits until /healthz answers (anything), at most 60 s. */
export async function startWeb(ctx: Context, env: Env): Promise<Web> {
  const port = await freePort();
  const started = Date.now();
  const proc = startProcess(ctx, 'web', { ...env, PORT: String(port) });
  ctx.cleanups.push(() => proc.stop());
  try {
    await Promise.race([
      waitForHttp(port, '/healthz', { Host: '127.0.0.1' }, 60_000),
      proc.exit.then(({ code, signal }) => {
        throw new Error(`the web process exited (${code ?? signal}) before answering`);
      }),
    ]);
  } catch (e) {
    await proc.stop();
    throw new StepFailure(`web did not come up on $PORT=${port}: ${(e as Error).message}`, proc.command, proc.output);
  }
  ctx.note(`web: answered /healthz ${((Date.now() - started) / 1000).toFixed(1)} s after start`);
  return { proc, port };
}

/** The graceful timeout the generated server config declares, in seconds (30 when none is found). */
export function gracefulTimeout(ctx: Context): number {
  for (const f of ['gunicorn.conf.py', 'config/granian.py']) {
    if (!ctx.exists(f)) continue;
    const m = /graceful[_-]timeout\D{0,60}?(\d+)/i.exec(ctx.read(f)) ?? /workers[_-]kill[_-]timeout\D{0,60}?(\d+)/i.exec(ctx.read(f));
    if (m) return Number(m[1]);
  }
  return 30;
}

/**
 * Resolves once the process has slept without using CPU for a second (/proc/<pid>/stat: state S,
 * utime + stime unchanged), i.e. it has finished starting and waits in its loop.
 */
export async function settled(proc: Background, ms: number): Promise<void> {
  const sample = () => {
    const fields = readFileSync(`/proc/${proc.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { state: fields[0], cpu: Number(fields[11]) + Number(fields[12]) };
  };
  let last = -1;
  let idle = 0;
  for (let waited = 0; idle < 4; waited += 250) {
    if (proc.exited) throw new StepFailure('exited while starting', proc.command, proc.output);
    if (waited > ms) throw new StepFailure(`still busy starting after ${ms / 1000} s`, proc.command, proc.output);
    const { state, cpu } = sample();
    idle = state === 'S' && cpu === last ? idle + 1 : 0;
    last = cpu;
    await new Promise((r) => setTimeout(r, 250));
  }
}
