/**
 * The e2e suite's process runner (exec.ts, over execa): what a failure prints, time limits that end a whole
 * process group, interleaved output, input, and running as another user. Fast: plain shell commands.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Background, cleanEnv, describeFailure, mustRun, run, StepFailure } from './exec.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'twelve-exec-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const env = cleanEnv();

/** Running, not a zombie waiting to be reaped (a container's init may be slow to reap orphans). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function failureOf(p: Promise<unknown>): Promise<StepFailure> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(StepFailure);
  return e as StepFailure;
}

describe('a failing command', () => {
  it('prints what failed, the command with where it ran, and the tail of its interleaved output', async () => {
    const script = 'for i in $(seq 1 100); do echo "line $i"; done; echo "it broke: details" >&2; exit 3';
    const e = await failureOf(mustRun('sh', ['-c', script], { cwd, env }, 'the migration'));
    expect(e.message).toBe('the migration exited 3');
    const printed = describeFailure('e04-mysql', 'release', e);
    const [head, command, label, ...shown] = printed.split('\n');
    expect(head).toBe('[e04-mysql] step "release": the migration exited 3');
    expect(command).toBe(`  command: (cd ${cwd} && sh -c '${script}')`);
    expect(label).toBe('  output (tail):');
    // 101 lines printed, 40 shown: the last ones, stderr in its place after stdout
    expect(shown[0]).toBe('    | [... 61 earlier lines]');
    expect(shown.slice(1, 3)).toEqual(['    | line 62', '    | line 63']);
    expect(shown.at(-2)).toBe('    | line 100');
    expect(shown.at(-1)).toBe('    | it broke: details');
    expect(shown).toHaveLength(41);
  });

  it('a command that does not exist fails with exit 127 and says why', async () => {
    const e = await failureOf(mustRun('no-such-command-here', ['x'], { cwd, env }, 'the tool'));
    expect(e.message).toBe('the tool exited 127');
    expect(e.command).toBe(`(cd ${cwd} && no-such-command-here x)`);
    expect(e.output).toMatch(/\[spawn error\].*ENOENT/);
  });

  it('a time limit stops the whole process group, and the failure says so', async () => {
    const pidFile = path.join(cwd, 'child.pid');
    const started = Date.now();
    // A grandchild that would keep the output pipe open for 30 s if only the shell were killed.
    const r = await run('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; echo started; wait`], { cwd, env, timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGTERM');
    expect(r.output).toBe('started\n\n[killed after 500 ms]');
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    const e = await failureOf(mustRun('sh', ['-c', 'sleep 30'], { cwd, env, timeoutMs: 300 }, 'the server'));
    expect(e.message).toBe('the server timed out');
  });
});

describe('run', () => {
  it('keeps stdout, stderr and both interleaved as they arrived', async () => {
    const r = await run('sh', ['-c', 'echo one; sleep 0.05; echo two >&2; sleep 0.05; echo three'], { cwd, env });
    expect(r).toMatchObject({ code: 0, signal: null, timedOut: false, stdout: 'one\nthree\n', stderr: 'two\n', output: 'one\ntwo\nthree\n' });
  });

  it('feeds input on stdin; without input stdin is /dev/null (not a socket bash would treat as interactive)', async () => {
    expect((await run('cat', [], { cwd, env, input: 'hello\n' })).stdout).toBe('hello\n');
    expect((await run('sh', ['-c', 'readlink /proc/self/fd/0'], { cwd, env })).stdout).toBe('/dev/null\n');
  });

  it('passes exactly the environment given, nothing of the suite', async () => {
    const r = await run('sh', ['-c', 'echo "$ONLY_THIS|${HOME-unset}"'], { cwd, env: { ONLY_THIS: 'yes', PATH: process.env.PATH } });
    expect(r.stdout).toBe('yes|unset\n');
  });

  const root = process.getuid?.() === 0;
  const hasUser = readFileSync('/etc/passwd', 'utf8').split('\n').some((l) => l.startsWith('twelve-e2e:'));
  it.runIf(root && hasUser)('runs as another user (its uid and gid, no root groups)', async () => {
    const r = await mustRun('id', [], { cwd: '/', env: { PATH: process.env.PATH }, user: 'twelve-e2e' });
    expect(r.stdout).toMatch(/^uid=\d+\(twelve-e2e\) gid=\d+\(twelve-e2e\) groups=\d+\(twelve-e2e\)\n$/);
  });

  it('an unknown user is a failure naming the user, not a crash', async () => {
    const e = await failureOf(mustRun('id', [], { cwd, env, user: 'no-such-user-x' }, 'id'));
    expect(e.output).toContain('no user no-such-user-x');
  });
});

describe('Background', () => {
  it('watches the output, delivers a signal to the process itself, reports the exit', async () => {
    const proc = new Background('sh', ['-c', 'trap "echo draining; exit 0" TERM; echo ready; while true; do sleep 0.05; done'], { cwd, env });
    await proc.waitFor(/ready/, 5000, 'start');
    proc.signal('SIGTERM');
    expect(await proc.waitExit(5000)).toEqual({ code: 0, signal: null });
    expect(proc.exited).toBe(true);
    expect(proc.stdout).toBe('ready\ndraining\n');
  });

  it('waitFor fails with the command and output when the process exits first', async () => {
    const proc = new Background('sh', ['-c', 'echo booting; exit 4'], { cwd, env });
    const e = await failureOf(proc.waitFor(/listening/, 5000, 'web'));
    expect(e.message).toBe('web: the process exited before printing /listening/');
    expect(e.command).toBe(`(cd ${cwd} && sh -c 'echo booting; exit 4')`);
    expect(e.output).toBe('booting\n');
    expect(await proc.exit).toEqual({ code: 4, signal: null });
  });

  it('stop() ends the process and its children', async () => {
    const pidFile = path.join(cwd, 'bg-child.pid');
    const proc = new Background('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; echo up; wait`], { cwd, env });
    await proc.waitFor(/up/, 5000, 'start');
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(child)).toBe(true);
    await proc.stop();
    expect(proc.exited).toBe(true);
    expect(alive(child)).toBe(false);
  });
});
