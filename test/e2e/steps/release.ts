/**
 * Step 5: `./release.sh` against the real database, twice: every migration applied, the project's own
 * apps' too (the lived-in app's); the second run succeeds and applies nothing (`migrate --check` and an unchanged `showmigrations --plan` prove it).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../support/context.js';
import { mustRun, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';

/**
 * `label.0001_initial` for every migration file of the project's own apps: each directory with a migrations/ package
 * (the project package's users app, the lived-in app), labelled by its name as Django labels an app by default.
 */
function projectMigrations(ctx: Context, dir = ctx.project, depth = 0): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || ['node_modules', 'staticfiles', 'media', '__pycache__'].includes(entry.name)) continue;
    const app = path.join(dir, entry.name);
    const migrations = path.join(app, 'migrations');
    if (existsSync(path.join(migrations, '__init__.py'))) {
      for (const f of readdirSync(migrations)) if (/^\d{4}_\w+\.py$/.test(f)) out.push(`${entry.name}.${f.slice(0, -3)}`);
    }
    if (depth < 2) out.push(...projectMigrations(ctx, app, depth + 1));
  }
  return out.sort();
}

export const release: Step = {
  id: 'release',
  title: './release.sh twice against the real database',
  after: ['live-in', 'provision'],
  async run(ctx: Context) {
    const o = { cwd: ctx.project, env: ctx.prodEnv(), timeoutMs: 300_000 };
    await mustRun('./release.sh', [], o, 'release.sh (first run)');
    const plan1 = await mustRun('python', ['manage.py', 'showmigrations', '--plan'], o, 'showmigrations');
    const unapplied = plan1.stdout.split('\n').filter((l) => l.startsWith('[ ]'));
    if (unapplied.length) throw new StepFailure(`release.sh left ${unapplied.length} migration(s) unapplied`, plan1.command, plan1.output);
    if (!plan1.stdout.includes('[X]')) throw new StepFailure('showmigrations lists no applied migration', plan1.command, plan1.output);
    // Every migration of the project's own apps (the lived-in app's among them) is in the plan, applied.
    const own = projectMigrations(ctx);
    const applied = new Set(plan1.stdout.split('\n').map((l) => l.trim()));
    const missing = own.filter((m) => !applied.has(`[X]  ${m}`));
    if (missing.length) throw new StepFailure(`release.sh did not apply the project's own migrations: ${missing.join(', ')}`, plan1.command, plan1.output);

    const second = await mustRun('./release.sh', [], o, 'release.sh (second run)');
    if (/Applying \S+\.\d{4}/.test(second.output)) throw new StepFailure('the second release.sh applied migrations again', second.command, second.output);
    await mustRun('python', ['manage.py', 'migrate', '--check'], o, 'migrate --check after the second release');
    const plan2 = await mustRun('python', ['manage.py', 'showmigrations', '--plan'], o, 'showmigrations');
    if (plan2.stdout !== plan1.stdout) throw new StepFailure('showmigrations --plan changed after the second release.sh', plan2.command, plan2.output);
  },
};
