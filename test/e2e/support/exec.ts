/**
 * Running commands for the end-to-end suite: every command has a time limit, its output is kept
 * (interleaved stdout+stderr, for failure reports) and a failure is a StepFailure that says which
 * command ran where and shows the tail of what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type Env = Record<string, string | undefined>;

export interface RunOptions {
  cwd: string;
  env: Env;
  /** Milliseconds; the process group is killed after it. */
  timeoutMs?: number;
  input?: string;
  /** Run as this user (through runuser); the suite runs as root. */
  user?: string;
}

export interface RunResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they arrived. */
  output: string;
  ms: number;
  timedOut: boolean;
}

/** A check that failed; the runner adds the combination and the step. */
export class StepFailure extends Error {
  constructor(
    message: string,
    public readonly command?: string,
    public readonly output?: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

const TAIL_LINES = 40;

export function tail(text: string, lines = TAIL_LINES): string {
  const all = text.replace(/\s+$/, '').split('\n');
  const shown = all.slice(-lines);
  return (all.length > lines ? `[... ${all.length - lines} earlier lines]\n` : '') + shown.join('\n');
}

export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function show(cmd: string, args: readonly string[], cwd?: string): string {
  return (cwd ? `(cd ${quote(cwd)} && ` : '') + [cmd, ...args].map(quote).join(' ') + (cwd ? ')' : '');
}

/** Variables of the caller that would leak into a generated project's settings. */
const LEAKY = /^(DJANGO_|DATABASE_URL$|REDIS_URL$|CACHE_URL$|CELERY_|PORT$|WEB_CONCURRENCY$|VIRTUAL_ENV$|PYTHONPATH$|PYTHONHOME$|GUNICORN_CMD_ARGS$|GRANIAN_|UV_PROJECT|UV_PYTHON$|VITEST|NODE_ENV$|TEST$|FORCE_COLOR$|NO_COLOR$)/;

/** The caller's environment without anything a generated project reads. */
export function cleanEnv(extra: Env = {}): Env {
  const env: Env = {};
  for (const [k, v] of Object.entries(process.env)) if (!LEAKY.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function spawnIn(cmd: string, args: readonly string[], opts: RunOptions): ChildProcess {
  const [file, argv] = opts.user
    ? ['runuser', ['-u', opts.user, '--', 'env', ...envArgs(opts.env), cmd, ...args]]
    : [cmd, [...args]];
  return spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.user ? { PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } : (opts.env as NodeJS.ProcessEnv),
    // stdin is /dev/null unless there is input: Debian's bash sources ~/.bashrc when stdin is a
    // socket (node's pipes are), which would put pyenv's shims before the project's venv on PATH
    stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so a timeout kills its children too
  });
}

function envArgs(env: Env): string[] {
  return ['-i', ...Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]))];
}

/** Runs a command to its end; never throws for a non-zero exit (see `mustRun`). */
export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const command = show(cmd, args, opts.cwd);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    let child: ChildProcess;
    try {
      child = spawnIn(cmd, args, opts);
    } catch (e) {
      resolve({ command, code: 127, signal: null, stdout, stderr: String(e), output: String(e), ms: 0, timedOut });
      return;
    }
    child.stdout!.setEncoding('utf8').on('data', (d: string) => ((stdout += d), (output += d)));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => ((stderr += d), (output += d)));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, opts.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      output += `\n[spawn error] ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) output += `\n[killed after ${opts.timeoutMs ?? 300_000} ms]`;
      resolve({ command, code, signal, stdout, stderr, output, ms: Date.now() - started, timedOut });
    });
  });
}

/** Runs a command and throws a StepFailure unless it exits 0. */
export async function mustRun(cmd: string, args: readonly string[], opts: RunOptions, what?: string): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const how = r.timedOut ? 'timed out' : r.signal ? `was killed by ${r.signal}` : `exited ${r.code}`;
    throw new StepFailure(`${what ?? 'command'} ${how}`, r.command, r.output);
  }
  return r;
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** A long-running process (server, worker, beat) whose output is watched. */
export class Background {
  readonly child: ChildProcess;
  readonly command: string;
  stdout = '';
  stderr = '';
  output = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited = false;
  private watchers: Array<() => void> = [];

  constructor(cmd: string, args: readonly string[], opts: RunOptions) {
    this.command = show(cmd, args, opts.cwd);
    this.child = spawnIn(cmd, args, opts);
    const onData = (which: 'stdout' | 'stderr') => (d: string) => {
      this[which] += d;
      this.output += d;
      for (const w of this.watchers) w();
    };
    this.child.stdout!.setEncoding('utf8').on('data', onData('stdout'));
    this.child.stderr!.setEncoding('utf8').on('data', onData('stderr'));
    this.exit = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.output += `\n[spawn error] ${e.message}`;
      });
      this.child.on('close', (code, signal) => {
        this.exited = true;
        for (const w of this.watchers) w();
        resolve({ code, signal });
      });
    });
  }

  /** Resolves when `pattern` appears in the output; rejects on exit or after `ms`. */
  waitFor(pattern: RegExp, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.output)) return done(undefined);
        if (this.exited) return done(new StepFailure(`${what}: the process exited before printing ${pattern}`, this.command, this.output));
      };
      const timer = setTimeout(
        () => done(new StepFailure(`${what}: ${pattern} did not appear within ${ms} ms`, this.command, this.output)),
        ms,
      );
      const done = (err: Error | undefined) => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
        if (err) reject(err);
        else resolve();
      };
      this.watchers.push(check);
      check();
    });
  }

  /** Waits for the exit, at most `ms`; undefined when it is still running. */
  async waitExit(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
    const r = await Promise.race([this.exit, timeout]);
    clearTimeout(timer);
    return r;
  }

  /** Sends a signal to the process itself (not its group): what a supervisor does. */
  signal(sig: NodeJS.Signals): void {
    if (!this.exited && this.child.pid !== undefined) process.kill(this.child.pid, sig);
  }

  /** Makes sure nothing of it is left running. */
  async stop(): Promise<void> {
    if (this.exited) return;
    killGroup(this.child, 'SIGTERM');
    if (await this.waitExit(5000)) return;
    killGroup(this.child, 'SIGKILL');
    await this.waitExit(5000);
  }
}
