/**
 * Step: a web worker killed with SIGKILL (as the kernel's out-of-memory killer does) while requests
 * keep coming: the server replaces it and keeps answering. The Procfile's `web` runs with its
 * production settings and two workers; the workers are the ones the server's own log names.
 */
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { StepFailure } from '../support/exec.js';
import { request } from '../support/http.js';
import { startWeb } from '../support/processes.js';
import type { Step } from '../support/step.js';

const HTTPS = { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' };
/** gunicorn: "Booting worker with pid: 123"; granian: "Spawning worker-1 with pid: 123". */
const WORKER_PID = /(?:Booting worker|Spawning worker-\d+) with pid: (\d+)/gi;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const workerPids = (output: string) => [...output.matchAll(WORKER_PID)].map((m) => Number(m[1]));

export const respawn: Step = {
  id: 'respawn',
  title: 'a worker killed under load is replaced; the server keeps answering',
  after: ['release'],
  async run(ctx: Context) {
    const { proc, port } = await startWeb(ctx, ctx.prodEnv({ WEB_CONCURRENCY: '2' }));
    const fail = (msg: string) => new StepFailure(msg, proc.command, proc.output);
    try {
      for (let waited = 0; workerPids(proc.output).length < 2; waited += 100) {
        if (waited > 30_000) throw fail(`the server did not log two workers' pids within 30 s (looked for ${WORKER_PID})`);
        await sleep(100);
      }
      const [victim] = workerPids(proc.output);

      // Load: four clients, one request after another, for the whole step.
      let loading = true;
      const outcomes: { at: number; ok: boolean }[] = [];
      const client = async () => {
        while (loading) {
          const ok = await request(port, '/readyz', HTTPS, 5000).then(
            (r) => r.status === 200,
            () => false,
          );
          outcomes.push({ at: Date.now(), ok });
          if (!ok) await sleep(50);
        }
      };
      const clients = Array.from({ length: 4 }, client);
      await sleep(1000);

      const killedAt = Date.now();
      process.kill(victim!, 'SIGKILL');
      let replacement: number | undefined;
      for (let waited = 0; replacement === undefined; waited += 100) {
        if (proc.exited) break;
        if (waited > 20_000) break;
        replacement = workerPids(proc.output).slice(2)[0];
        await sleep(100);
      }
      const replacedAt = Date.now();
      await sleep(3000); // served by the new worker set
      loading = false;
      await Promise.all(clients);

      if (proc.exited) throw fail(`the whole server exited after one worker (pid ${victim}) was killed`);
      if (replacement === undefined) throw fail(`no new worker was started within 20 s of killing worker ${victim}`);
      const after = outcomes.filter((o) => o.at > replacedAt);
      const failedAfter = after.filter((o) => !o.ok).length;
      if (after.length < 10 || failedAfter) {
        throw fail(`after the new worker started: ${after.length - failedAfter} of ${after.length} requests answered 200 (want all, and at least 10)`);
      }
      const during = outcomes.filter((o) => o.at > killedAt && o.at <= replacedAt);
      ctx.note(
        `respawn: worker ${victim} killed, worker ${replacement} started ${((replacedAt - killedAt) / 1000).toFixed(1)} s later; ` +
          `${during.filter((o) => o.ok).length} of ${during.length} requests answered meanwhile, ${after.length} of ${after.length} after`,
      );
    } finally {
      await proc.stop();
    }
  },
};
