/**
 * Each subgenerator of the registry (core/subgenerators.ts) on the lived-in project, after every other step: the
 * ones that add what the project does not have yet, one after the other, each with zero conflicts (exit 0, no file
 * needing attention, no conflict marker anywhere); then the project still installs from its lock, passes its own
 * CI lint command and its own tests. A new subgenerator is covered by its registry entry alone.
 */
import { readFileSync } from 'node:fs';
import { checkRules, checkStoredAnswers } from '../../../core/answers.js';
import { alreadyThere, SUBGENERATORS, subgeneratorGiven } from '../../../core/subgenerators.js';
import { cliPath, type Context } from '../support/context.js';
import { mustRun, run, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';
import { ciStep, walkFiles } from './lint.js';
import { runProjectTests } from './project-tests.js';

function storedAnswers(ctx: Context) {
  return checkStoredAnswers((JSON.parse(ctx.read('.yo-rc.json')) as Record<string, Record<string, unknown>>)['generator-twelve-django']!);
}

export const subgenerators: Step = {
  id: 'subgenerators',
  title: 'each subgenerator on the lived-in project: zero conflicts, then its CI lint and tests pass',
  after: ['live-in', 'lint', 'pytest'],
  async run(ctx: Context) {
    const applied: string[] = [];
    for (const sub of SUBGENERATORS) {
      const answers = storedAnswers(ctx);
      if (alreadyThere(sub, answers)) continue;
      try {
        checkRules(subgeneratorGiven(sub, answers) as never);
      } catch (e) {
        ctx.note(`subgenerators: ${sub.name} not applicable here: ${(e as Error).message}`);
        continue;
      }
      const r = await run(process.execPath, [cliPath(), sub.name, '--yes'], { cwd: ctx.project, env: ctx.baseEnv(), timeoutMs: 600_000 });
      if (r.code !== 0 || /need your attention/.test(r.output)) {
        throw new StepFailure(`\`${sub.name}\` on the lived-in project (after ${applied.join(', ') || 'no other'}) exited ${r.code} with files that need attention`, r.command, r.output);
      }
      const marked = walkFiles(ctx.project).filter((f) => /^<<<<<<< /m.test(readFileSync(ctx.file(f), 'utf8')));
      if (marked.length) throw new StepFailure(`\`${sub.name}\` exited 0 but left conflict markers in ${marked.join(', ')}`, r.command, r.output);
      applied.push(sub.name);
    }
    if (!applied.length) {
      ctx.note('subgenerators: the project has every feature a subgenerator adds');
      return;
    }
    const o = { cwd: ctx.project, env: ctx.baseEnv(), timeoutMs: 600_000 };
    await mustRun('uv', ['sync', '--locked'], o, `uv sync --locked after ${applied.join(', ')}`);
    await mustRun('bash', ['-eo', 'pipefail', '-c', ciStep(ctx, 'Lint')], o, `the CI lint command after ${applied.join(', ')}`);
    ctx.note(`subgenerators: ${applied.join(', ')} applied with zero conflicts; lint clean; pytest: ${await runProjectTests(ctx)}`);
  },
};
