/**
 * Step 8 (Celery projects): the Procfile's `worker` against the real broker (a Redis database or a
 * RabbitMQ vhost of its own) runs the example task sent from a `manage.py shell -c` one-off and the
 * result comes back; the worker stops cleanly on SIGTERM; `beat`, when generated, starts and stops
 * cleanly on SIGTERM. Both write only JSON lines to stdout (production logs, factor XI), and the
 * lines the tasks log carry the task's id and name. Every task of the project's apps is called, with
 * arguments where it takes them (the lived-in app's).
 */
import type { Context } from '../support/context.js';
import { mustRun, StepFailure, type Background } from '../support/exec.js';
import { settled, startProcess } from '../support/processes.js';
import { logLines } from '../support/logs.js';
import type { Step } from '../support/step.js';

/** beat's Procfile line may name a fixed schedule file: run one beat at a time. */
let beatLock: Promise<void> = Promise.resolve();
async function withBeatLock<T>(fn: () => Promise<T>): Promise<T> {
  const previous = beatLock;
  let release!: () => void;
  beatLock = new Promise((r) => (release = r));
  await previous;
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Celery's own signal handler writes this straight to stdout, not through logging, and has no
 * setting to stop it (celery/apps/worker.py, _shutdown_handler): tolerated, and noted.
 */
const CELERY_SHUTDOWN_SAY = /^worker: (Warm|Cold|Soft) shutdown \(MainProcess\)$/;

/** Production logs (factor XI): every non-empty stdout line of the process is a JSON object. */
function jsonLines(ctx: Context, what: string, proc: Background): void {
  const said = proc.stdout.split('\n').filter((l) => CELERY_SHUTDOWN_SAY.test(l.trim()));
  if (said.length) ctx.note(`celery: ${what} printed Celery's own "${said[0]!.trim()}" (not a log record; Celery cannot be told not to)`);
  const { lines, bad } = logLines(proc.stdout, CELERY_SHUTDOWN_SAY);
  if (!lines.length) throw new StepFailure(`${what}: nothing on stdout: production logs must go to stdout as JSON lines`, proc.command, proc.output);
  if (bad.length) throw new StepFailure(`${what}: ${bad.length} of ${lines.length} stdout lines are not JSON objects, e.g.:\n${bad.slice(0, 5).join('\n')}`, proc.command, proc.output);
}


/**
 * Every record logged inside a task carries its id and name (issue 7 item 9): the lines the tasks'
 * own loggers (<slug>.tasks) wrote on the worker's stdout name the task that ran, and at least
 * one task logged something.
 */
function taskFields(ctx: Context, worker: Background, calls: { name: string; id: string }[]): void {
  // The tasks' own loggers: <module of the task>, e.g. <slug>.tasks (and the apps' own, library.tasks).
  const loggers = new Set(calls.map((c) => c.name.slice(0, c.name.lastIndexOf('.'))));
  const logger = `${ctx.slug()}.tasks`;
  const lines = logLines(worker.stdout).records;
  const fromTasks = lines.filter((j) => loggers.has(String(j.logger)));
  if (!fromTasks.some((j) => j.logger === logger)) throw new StepFailure(`no JSON line from the tasks' logger ${logger} on the worker's stdout: task logs must go through the same formatter`, worker.command, worker.output);
  for (const line of fromTasks) {
    const call = calls.find((c) => c.id === line.task_id);
    if (!call || line.task_name !== call.name) {
      throw new StepFailure(`a line logged inside a task does not carry that task's id and name: ${JSON.stringify(line)}`, worker.command, worker.output);
    }
  }
  ctx.note(`celery: task log line ${JSON.stringify(fromTasks[0]).slice(0, 300)}`);
}

/**
 * Calls every task of the project's own apps through the broker (the example task of <slug>.tasks, and whatever
 * tasks the apps added: the lived-in app's takes arguments), each required argument a small number.
 */
export const CALL_TASKS = (slug: string) => `
import inspect, json
import ${slug}.tasks as tasks_module
from celery import current_app

current_app.loader.import_default_modules()
names = sorted(n for n in current_app.tasks if not n.startswith("celery."))
assert any(n.startswith("${slug}.tasks.") for n in names), "no Celery task registered from ${slug}.tasks"
for name in names:
    task = current_app.tasks[name]
    params = [p for p in inspect.signature(task.run).parameters.values()
              if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    args = [2 + i for i in range(len(params))]
    result = task.delay(*args)
    value = result.get(timeout=60)
    print("E2E-TASK " + json.dumps({"name": name, "id": result.id, "args": args, "state": result.state, "result": repr(value)}))
`;

/** The tasks CALL_TASKS called, each of which must have succeeded (its `E2E-TASK {json}` lines). */
export function taskCalls(one: { stdout: string; command: string; output: string }): { name: string; id: string; state: string; result: string }[] {
  const calls = one.stdout
    .split('\n')
    .filter((l) => l.startsWith('E2E-TASK '))
    .map((l) => JSON.parse(l.slice(9)) as { name: string; id: string; state: string; result: string });
  if (!calls.length) throw new StepFailure('the one-off called no task', one.command, one.output);
  for (const c of calls) {
    if (c.state !== 'SUCCESS') throw new StepFailure(`task ${c.name} ended ${c.state}`, one.command, one.output);
  }
  return calls;
}

export const celery: Step = {
  id: 'celery',
  title: 'worker runs the example task through the real broker; beat starts and stops',
  after: ['release'],
  notApplicable: (c) => (c.celery ? undefined : 'no Celery in this combination'),
  async run(ctx: Context) {
    const env = ctx.prodEnv();
    const worker = startProcess(ctx, 'worker', env);
    ctx.cleanups.push(() => worker.stop());
    await worker.waitFor(/celery@\S+ ready\./, 90_000, 'worker start');

    const one = await mustRun('python', ['manage.py', 'shell', '-c', CALL_TASKS(ctx.slug())], { cwd: ctx.project, env, timeoutMs: 180_000 }, 'calling the example task');
    const calls = taskCalls(one);
    for (const c of calls) {
      // it ran on the worker, not eagerly in the one-off
      await worker.waitFor(new RegExp(`${c.id}.{0,40}succeeded`), 15_000, `the worker log shows task ${c.id} succeeded`);
      ctx.note(`celery: ${c.name} -> ${c.result} (through the worker)`);
    }

    worker.signal('SIGTERM');
    const wexit = await worker.waitExit(30_000);
    if (!wexit) throw new StepFailure('the worker was still running 30 s after SIGTERM', worker.command, worker.output);
    if (wexit.code !== 0) throw new StepFailure(`the worker exited ${wexit.code ?? wexit.signal} after SIGTERM, want 0`, worker.command, worker.output);
    jsonLines(ctx, 'worker', worker);
    taskFields(ctx, worker, calls);

    if (!ctx.combo.beat) {
      if ('beat' in ctx.procfile()) throw new StepFailure(`--no-beat, but the Procfile has a beat process:\n${ctx.read('Procfile')}`);
      ctx.note('celery: --no-beat: no beat process to start');
      return;
    }
    await withBeatLock(async () => {
      const beat = startProcess(ctx, 'beat', env);
      ctx.cleanups.push(() => beat.stop());
      await beat.waitFor(/beat: Starting/, 60_000, 'beat start');
      // "Starting" comes before the scheduler is set up (imports, state file); a SIGTERM during the
      // set-up makes Celery re-enter half-done imports and exit 1. Wait until beat sleeps in its loop.
      await settled(beat, 60_000);
      await new Promise((r) => setTimeout(r, 2000)); // still up after its first tick
      if (beat.exited) throw new StepFailure('beat exited right after starting', beat.command, beat.output);
      beat.signal('SIGTERM');
      const bexit = await beat.waitExit(15_000);
      if (!bexit) throw new StepFailure('beat was still running 15 s after SIGTERM', beat.command, beat.output);
      if (bexit.code !== 0) throw new StepFailure(`beat exited ${bexit.code ?? bexit.signal} after SIGTERM, want 0`, beat.command, beat.output);
      jsonLines(ctx, 'beat', beat);
    });
  },
};
