/**
 * Step 4: production settings. `manage.py check --deploy --fail-level WARNING` passes with zero
 * issues given production variables; without DJANGO_SECRET_KEY (and without DATABASE_URL,
 * DJANGO_ALLOWED_HOSTS, or CELERY_BROKER_URL with Celery) it refuses to start with a message that
 * names the variable.
 */
import type { Context } from '../support/context.js';
import { mustRun, run, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';

export const deployCheck: Step = {
  id: 'deploy-check',
  title: 'check --deploy with production env; refuses without its secret',
  after: ['live-in', 'provision'],
  async run(ctx: Context) {
    const args = ['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'];
    const ok = await mustRun('python', args, { cwd: ctx.project, env: ctx.prodEnv(), timeoutMs: 120_000 }, 'check --deploy');
    const m = /System check identified no issues \((\d+) silenced\)/.exec(ok.output);
    if (!m) throw new StepFailure('check --deploy exited 0 but did not say "System check identified no issues"', ok.command, ok.output);
    if (m[1] !== '0') ctx.note(`deploy-check: ${m[1]} check(s) silenced in settings`);

    const required = ['DJANGO_SECRET_KEY', 'DATABASE_URL', 'DJANGO_ALLOWED_HOSTS', ...(ctx.combo.celery ? ['CELERY_BROKER_URL'] : [])];
    for (const variable of required) {
      const r = await run('python', args, { cwd: ctx.project, env: ctx.prodEnv({ [variable]: undefined }), timeoutMs: 120_000 });
      const env = `(production env without ${variable})`;
      if (r.code === 0) throw new StepFailure(`check --deploy passed without ${variable}: production must refuse to start ${env}`, r.command, r.output);
      if (!r.output.includes(variable)) throw new StepFailure(`without ${variable} it failed, but its message does not name ${variable} ${env}`, r.command, r.output);
      const last = r.output.trim().split('\n').pop() ?? '';
      ctx.note(`deploy-check: without ${variable}: ${last.slice(0, 200)}`);
    }
  },
};
