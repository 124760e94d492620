/**
 * Step 9: the generated project's own test suite, `uv run pytest`, with DATABASE_URL pointing at
 * the provisioned real database, which its test_database.py proves it used.
 */
import type { Context } from '../support/context.js';
import { mustRun, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';

export const projectTests: Step = {
  id: 'pytest',
  title: "the project's own tests (uv run pytest)",
  after: ['live-in', 'provision'],
  async run(ctx: Context) {
    ctx.note(`pytest: ${await runProjectTests(ctx)}`);
  },
};

/** `uv run pytest` on the provisioned database; its closing line. */
export async function runProjectTests(ctx: Context): Promise<string> {
  const env = ctx.baseEnv({ DATABASE_URL: ctx.provisioned.databaseUrl });
  const r = await mustRun('uv', ['run', '--locked', 'pytest', '-p', 'no:cacheprovider', '-rA'], { cwd: ctx.project, env, timeoutMs: 600_000 }, 'uv run pytest');
  const m = /(\d+) passed/.exec(r.output);
  if (!m || m[1] === '0') throw new StepFailure('pytest exited 0 but reported no passed test', r.command, r.output);
  // The tests ran on the provisioned database, not a SQLite fallback (issue 7 item 11).
  if (!/PASSED tests\/test_database\.py::test_the_tests_use_the_database_in_database_url/.test(r.output)) {
    throw new StepFailure("the project's test_database.py did not pass: the tests must run on the database in DATABASE_URL", r.command, r.output);
  }
  return r.output.trim().split('\n').pop()!;
}
