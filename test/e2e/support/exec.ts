/**
 * Running commands for the end-to-end suite, over execa: every command has a time limit (then its whole
 * process group is stopped, SIGTERM then SIGKILL), its output is kept (interleaved stdout+stderr, for failure
 * reports) and a failure is a StepFailure that says which command ran where and shows the tail of what it printed.
 */
import { readFileSync } from 'node:fs';
import { execa, type Options, type ResultPromise } from 'execa';

export type Env = Record<string, string | undefined>;

export interface RunOptions {
  cwd: string;
  env: Env;
  /** Milliseconds; the process group is killed after it. */
  timeoutMs?: number;
  input?: string;
  /** Run as this user (its uid and gid); the suite runs as root. */
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
const DEFAULT_TIMEOUT_MS = 300_000;
/** After SIGTERM (a time limit, `stop()`), SIGKILL follows this much later. */
const FORCE_KILL_MS = 5000;

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

/** How the suite prints a failure: who, which step, what, the command (with where it ran) and the output's tail. */
export function describeFailure(who: string, step: string, e: unknown): string {
  if (e instanceof StepFailure) {
    return [
      `[${who}] step "${step}": ${e.message}`,
      e.command ? `  command: ${e.command.split('\n').join('\n           ')}` : undefined,
      e.output !== undefined ? `  output (tail):\n${tail(e.output).replace(/^/gm, '    | ')}` : undefined,
    ]
      .filter(Boolean)
      .join('\n');
  }
  const err = e as Error;
  return `[${who}] step "${step}": unexpected error: ${err?.stack ?? String(e)}`;
}

/** Variables of the caller that would leak into a generated project's settings. */
const LEAKY = /^(DJANGO_|DATABASE_URL$|REDIS_URL$|CACHE_URL$|CELERY_|PORT$|WEB_CONCURRENCY$|VIRTUAL_ENV$|PYTHONPATH$|PYTHONHOME$|GUNICORN_CMD_ARGS$|GRANIAN_|UV_PROJECT|UV_PYTHON$|VITEST|NODE_ENV$|TEST$|FORCE_COLOR$|NO_COLOR$)/;

/** The caller's environment without anything a generated project reads. */
export function cleanEnv(extra: Env = {}): Env {
  const env: Env = {};
  for (const [k, v] of Object.entries(process.env)) if (!LEAKY.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** uid and gid of a local user, from /etc/passwd (what runuser would look up). */
function userIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new StepFailure(`no user ${user} in /etc/passwd: create it with \`bash scripts/ensure-services.sh\``);
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function execaOptions(opts: RunOptions): Options {
  return {
    cwd: opts.cwd,
    env: opts.env as NodeJS.ProcessEnv,
    extendEnv: false, // exactly the environment given: nothing of the suite's leaks in
    ...(opts.user ? userIds(opts.user) : {}), // node drops root's supplementary groups with it
    // stdin is /dev/null unless there is input: Debian's bash sources ~/.bashrc when stdin is a
    // socket (node's pipes are), which would put pyenv's shims before the project's venv on PATH
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
    killDescendants: true, // own process group: a time limit or stop() ends its children too
    killSignal: 'SIGTERM',
    forceKillAfterDelay: FORCE_KILL_MS,
    cleanup: true, // nothing outlives the suite's own process
    stripFinalNewline: false,
    reject: false,
  };
}

/** Runs a command to its end; never throws for a non-zero exit (see `mustRun`). */
export async function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const command = show(cmd, args, opts.cwd);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let r;
  try {
    r = await execa(cmd, args, { ...execaOptions(opts), timeout: timeoutMs, all: true });
  } catch (e) {
    // Bad options (an unknown user...): reported like a command that could not start.
    const message = e instanceof StepFailure ? e.message : String(e);
    return { command, code: 127, signal: null, stdout: '', stderr: message, output: message, ms: 0, timedOut: false };
  }
  let output = typeof r.all === 'string' ? r.all : '';
  // A command that could not start (ENOENT, EACCES) has no exit code; the shell's convention is 127.
  const notStarted = r.exitCode === undefined && r.signal === undefined && !r.timedOut;
  if (notStarted) output += `\n[spawn error] ${r.originalMessage ?? r.shortMessage}`;
  if (r.timedOut) output += `\n[killed after ${timeoutMs} ms]`;
  return {
    command,
    code: notStarted ? 127 : (r.exitCode ?? null),
    signal: (r.signal as NodeJS.Signals | undefined) ?? null,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    output,
    ms: Math.round(r.durationMs),
    timedOut: r.timedOut,
  };
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

/** Sends a signal to the whole process group of a child started here (its pid leads the group). */
export function killGroup(child: { pid?: number; kill(signal: NodeJS.Signals): boolean }, signal: NodeJS.Signals): void {
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
  readonly child: ResultPromise;
  readonly command: string;
  stdout = '';
  stderr = '';
  output = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited = false;
  private watchers: Array<() => void> = [];

  constructor(cmd: string, args: readonly string[], opts: RunOptions) {
    this.command = show(cmd, args, opts.cwd);
    // No time limit and no buffering: the output is read here as it comes, for `waitFor`.
    this.child = execa(cmd, args, { ...execaOptions(opts), buffer: false });
    const onData = (which: 'stdout' | 'stderr') => (d: string) => {
      this[which] += d;
      this.output += d;
      for (const w of this.watchers) w();
    };
    this.child.stdout!.setEncoding('utf8').on('data', onData('stdout'));
    this.child.stderr!.setEncoding('utf8').on('data', onData('stderr'));
    this.exit = this.child.then((r) => {
      if (r.exitCode === undefined && r.signal === undefined) this.output += `\n[spawn error] ${r.originalMessage ?? r.shortMessage}`;
      this.exited = true;
      for (const w of this.watchers) w();
      return { code: r.exitCode ?? null, signal: (r.signal as NodeJS.Signals | undefined) ?? null };
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

  /** Makes sure nothing of it is left running: SIGTERM to its group, SIGKILL 5 s later if needed (execa's forceKillAfterDelay). */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    await this.waitExit(FORCE_KILL_MS * 2);
  }
}
