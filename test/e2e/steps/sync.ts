/** Step 2: `uv sync --locked` from the project's own lock file, with Python 3.11. */
import { PYTHON } from '../combinations.js';
import type { Context } from '../support/context.js';
import { mustRun, StepFailure } from '../support/exec.js';
import type { Step } from '../support/step.js';

export const sync: Step = {
  id: 'sync',
  title: 'uv sync --locked',
  after: ['generate'],
  async run(ctx: Context) {
    await mustRun('uv', ['sync', '--locked'], { cwd: ctx.project, env: ctx.baseEnv(), timeoutMs: 900_000 }, 'uv sync --locked');
    const v = await mustRun(`${ctx.venvBin}/python`, ['--version'], { cwd: ctx.project, env: ctx.baseEnv() }, 'the venv python');
    if (!v.stdout.startsWith(`Python ${PYTHON}.`)) {
      throw new StepFailure(`the venv has ${v.stdout.trim()}, want Python ${PYTHON} (.python-version)`, v.command, v.output);
    }
  },
};
