/** Starting the Procfile's process types the way a platform would: `/bin/sh -c "exec <command>"`. */
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
