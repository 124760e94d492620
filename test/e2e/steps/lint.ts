/**
 * Step 3: lint what was generated with the tools its users' CI would run. Zero findings:
 * the CI workflow's own Lint command (ruff check and ruff format --check, the lived-in app's
 * startapp and makemigrations output included), shellcheck on every shell script,
 * hadolint on the Dockerfile, the compose file against the Compose Specification schema
 * (check-jsonschema's vendored copy), .env.example with dotenv-linter, and the CI workflow against
 * GitHub's workflow schema.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../support/context.js';
import { run, StepFailure, tail, type RunResult } from '../support/exec.js';
import type { Step } from '../support/step.js';

const SKIP_DIRS = new Set(['.venv', '.git', 'node_modules', '__pycache__', 'staticfiles', '.ruff_cache', '.pytest_cache']);

/** The project's files (relative paths), without virtualenvs, caches and git's own. */
export function walkFiles(project: string): string[] {
  return walk(project);
}

function walk(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) out.push(...walk(path.join(dir, e.name), root));
    } else if (e.isFile()) out.push(path.relative(root, path.join(dir, e.name)));
  }
  return out.sort();
}

/** The `run:` of a named step of the generated CI workflow (one line, as the workflow writes it). */
export function ciStep(ctx: Context, name: string): string {
  if (!ctx.exists('.github/workflows/ci.yml')) throw new StepFailure('no .github/workflows/ci.yml: every project gets a CI workflow');
  const workflow = ctx.read('.github/workflows/ci.yml');
  const m = new RegExp(`^(\\s*)- name: ${name}\\n\\1  run: (.+)$`, 'm').exec(workflow);
  if (!m || m[2]!.trim() === '|') throw new StepFailure(`.github/workflows/ci.yml has no one-line "${name}" step with a run: command`, undefined, workflow);
  return m[2]!.trim();
}

/** *.sh files, and any file starting with a sh/bash shebang. */
export function shellScripts(project: string): string[] {
  return walk(project).filter((f) => {
    if (f.endsWith('.sh')) return true;
    const full = path.join(project, f);
    if (statSync(full).size > 200_000) return false;
    return /^#!\s*\S*\b(env\s+)?(ba|da|k)?sh\b/.test(readFileSync(full, 'utf8').slice(0, 100));
  });
}

export const lint: Step = {
  id: 'lint',
  title: 'ruff, shellcheck, hadolint, compose schema, dotenv-linter',
  after: ['live-in'],
  async run(ctx: Context) {
    const o = { cwd: ctx.project, env: ctx.baseEnv(), timeoutMs: 120_000 };
    const tool = (name: string) => path.join(ctx.toolsBin, name);
    const results: Array<[string, RunResult]> = [];
    const check = async (what: string, cmd: string, args: string[]) => results.push([what, await run(cmd, args, o)]);

    // The project's own CI lint command, as its workflow runs it (ruff's arguments are the project's business).
    const ciLint = ciStep(ctx, 'Lint');
    await check(`the CI workflow's Lint step (${ciLint})`, 'bash', ['-eo', 'pipefail', '-c', ciLint]);

    const scripts = shellScripts(ctx.project);
    if (!scripts.includes('release.sh')) throw new StepFailure(`release.sh not found among shell scripts: ${scripts.join(', ')}`);
    await check(`shellcheck (${scripts.join(' ')})`, tool('shellcheck'), ['--external-sources', ...scripts]);

    await check('hadolint Dockerfile', tool('hadolint'), ['Dockerfile']);

    const compose = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'].filter((f) => ctx.exists(f));
    if (compose.length !== 1) throw new StepFailure(`expected one compose file, found: ${compose.join(', ') || 'none'}`);
    await check(`compose spec (${compose[0]})`, tool('check-jsonschema'), ['--builtin-schema', 'vendor.compose-spec', compose[0]!]);
    const composeText = ctx.read(compose[0]!);
    if (/^version\s*:/m.test(composeText)) {
      results.push(['compose has no version key', { command: `grep -n '^version:' ${compose[0]}`, code: 1, signal: null, stdout: '', stderr: '', output: 'top-level "version:" is obsolete in the Compose Specification', ms: 0, timedOut: false }]);
    }

    await check('dotenv-linter .env.example', tool('dotenv-linter'), ['.env.example']);

    // The generated CI workflow against GitHub's workflow schema (check-jsonschema's vendored copy).
    if (!ctx.exists('.github/workflows/ci.yml')) throw new StepFailure('no .github/workflows/ci.yml: every project gets a CI workflow');
    await check('GitHub workflow schema (.github/workflows/ci.yml)', tool('check-jsonschema'), ['--builtin-schema', 'vendor.github-workflows', '.github/workflows/ci.yml']);

    const failed = results.filter(([, r]) => r.code !== 0);
    if (failed.length) {
      throw new StepFailure(
        `${failed.length} linter(s) reported findings: ${failed.map(([w]) => w).join('; ')}`,
        failed.map(([, r]) => r.command).join('\n'),
        failed.map(([w, r]) => `--- ${w}: exit ${r.code}\n${tail(r.output, 30)}`).join('\n'),
      );
    }
  },
};
