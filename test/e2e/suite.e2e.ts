/**
 * The end-to-end suite (issue 4): for each combination of the covering set, from a clean temp dir,
 * generate through the built package and run the project for real against real services; then,
 * once, the published package under real `yo` and `npx`.
 *
 *   npm run test:e2e                      everything (2 combinations at a time: E2E_CONCURRENCY)
 *   npm run test:e2e -- -t e04            one combination (vitest's name filter)
 *   E2E_KEEP=1 npm run test:e2e           keep every temp project (failed ones are always kept)
 *
 * A failure names the combination, the step, the command and the tail of its output.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMBINATIONS, type Combination } from './combinations.js';
import { Context, REPO, UV_CACHE_DIR } from './support/context.js';
import { cleanEnv, describeFailure, mustRun, StepFailure } from './support/exec.js';
import { liveIn } from './support/lived-in.js';
import type { Step } from './support/step.js';
import { badEnv } from './steps/bad-env.js';
import { buildEnv } from './steps/build-env.js';
import { celery } from './steps/celery.js';
import { container, CONTAINER_TIMINGS } from './steps/container.js';
import { deployCheck } from './steps/deploy-check.js';
import { generate } from './steps/generate.js';
import { kubelet } from './steps/kubelet.js';
import { lint } from './steps/lint.js';
import { checkPackage } from './steps/package.js';
import { platform } from './steps/platform.js';
import { projectTests } from './steps/project-tests.js';
import { provision } from './steps/provision.js';
import { release } from './steps/release.js';
import { respawn } from './steps/respawn.js';
import { shutdown } from './steps/shutdown.js';
import { subgenerators } from './steps/subgenerators.js';
import { sync } from './steps/sync.js';
import { web } from './steps/web.js';

/** Right after `sync`, the lived-in edits (support/lived-in.ts): every later step runs on a project with an app in it. */
export const STEPS: readonly Step[] = [provision, generate, sync, liveIn, buildEnv, lint, deployCheck, badEnv, release, web, shutdown, respawn, celery, kubelet, platform, projectTests, container, subgenerators];

type Status = 'passed' | 'failed' | 'not run' | 'n/a';
interface StepResult {
  step: string;
  status: Status;
  ms: number;
  detail?: string;
}

const suiteStart = Date.now();
const timings = new Map<string, { results: StepResult[]; ms: number }>();
let toolsBin = '';
let toolsError: string | undefined;

const formatFailure = describeFailure;

async function runCombination(combo: Combination): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(path.join(os.tmpdir(), `twelve-e2e-${combo.name}-`));
  const ctx = new Context(combo, work);
  ctx.toolsBin = toolsBin;
  const results: StepResult[] = [];
  const failures: string[] = [];
  try {
    if (toolsError) throw new StepFailure(toolsError);
    for (const step of STEPS) {
      const na = step.notApplicable?.(combo);
      if (na) {
        results.push({ step: step.id, status: 'n/a', ms: 0, detail: na });
        continue;
      }
      const blocked = step.after.filter((id) => results.find((r) => r.step === id)?.status !== 'passed');
      if (blocked.length) {
        results.push({ step: step.id, status: 'not run', ms: 0, detail: `needs ${blocked.join(', ')}, which did not pass` });
        continue;
      }
      const t = Date.now();
      try {
        await step.run(ctx);
        results.push({ step: step.id, status: 'passed', ms: Date.now() - t });
      } catch (e) {
        results.push({ step: step.id, status: 'failed', ms: Date.now() - t, detail: e instanceof Error ? e.message.split('\n')[0] : String(e) });
        failures.push(formatFailure(combo.name, step.id, e));
      }
    }
  } catch (e) {
    failures.push(formatFailure(combo.name, 'setup', e));
  } finally {
    for (const cleanup of ctx.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        ctx.note(`cleanup failed: ${(e as Error).message}`);
      }
    }
    const keep = failures.length > 0 || process.env.E2E_KEEP === '1';
    if (!keep) rmSync(work, { recursive: true, force: true });
    timings.set(combo.name, { results, ms: Date.now() - started });
    const lines = results.map(
      (r) => `  ${r.status.padEnd(7)} ${r.step.padEnd(13)} ${r.ms ? `${(r.ms / 1000).toFixed(1).padStart(6)} s` : '        '}${r.detail ? `  ${r.detail}` : ''}`,
    );
    console.log(
      `[${combo.name}] ${failures.length ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)} s` +
        `${keep ? ` (kept ${work})` : ''}\n  flags: ${combo.flags.join(' ') || '(defaults)'}\n${lines.join('\n')}` +
        (ctx.notes.length ? `\n  notes:\n    ${ctx.notes.join('\n    ')}` : ''),
    );
  }
  if (failures.length) throw new Error(`${failures.length} step(s) failed\n\n${failures.join('\n\n')}`);
  expect(results.filter((r) => r.status === 'passed').length).toBeGreaterThan(0);
}

beforeAll(async () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 22)) {
    toolsError = `Node ${process.versions.node} runs the suite; the generator needs 22.22+: \`source scripts/ensure-node.sh\` first`;
    return;
  }
  mkdirSync(UV_CACHE_DIR, { recursive: true });
  try {
    const r = await mustRun('bash', [path.join(REPO, 'scripts', 'ensure-e2e-tools.sh')], { cwd: REPO, env: cleanEnv(), timeoutMs: 600_000 }, 'scripts/ensure-e2e-tools.sh');
    toolsBin = r.stdout.trim().split('\n').pop()!;
    if (COMBINATIONS.some((c) => c.kubernetes)) {
      await mustRun('bash', [path.join(REPO, 'scripts', 'ensure-k8s-tools.sh')], { cwd: REPO, env: cleanEnv(), timeoutMs: 600_000 }, 'scripts/ensure-k8s-tools.sh');
    }
  } catch (e) {
    toolsError = formatFailure('all', 'lint tools', e);
  }
});

afterAll(() => {
  const ids = STEPS.map((s) => s.id);
  const cell = (r: StepResult | undefined) =>
    !r ? '' : r.status === 'passed' ? `${(r.ms / 1000).toFixed(0)}s` : r.status === 'n/a' ? '-' : r.status === 'failed' ? 'FAIL' : 'skip';
  const widths = ids.map((id) => Math.max(id.length, 5));
  const rows = [...timings.entries()].map(([name, t]) =>
    t.results.some((r) => ids.includes(r.step))
      ? `${name.padEnd(38)}${ids.map((id, i) => cell(t.results.find((r) => r.step === id)).padStart(widths[i]! + 1)).join('')} ${(t.ms / 1000).toFixed(0).padStart(5)}s`
      : `${name.padEnd(38)} ${t.results.map((r) => `${r.step}: ${cell(r)}`).join(', ')}; total ${(t.ms / 1000).toFixed(0)}s`,
  );
  console.log(
    `e2e timings (s; "-" = not applicable, "skip" = not run after a failure)\n` +
      `${'combination'.padEnd(38)}${ids.map((id, i) => id.padStart(widths[i]! + 1)).join('')}  total\n${rows.join('\n')}\n` +
      `e2e suite wall time: ${((Date.now() - suiteStart) / 1000).toFixed(0)} s`,
  );
  if (CONTAINER_TIMINGS.length) {
    console.log(`container figures (printed, not asserted)\n${CONTAINER_TIMINGS.map((t) => `  ${t.combo.padEnd(36)} ${Object.entries(t.figures).map(([k, v]) => `${k}: ${v}`).join(', ')}`).join('\n')}`);
  }
});

describe.concurrent('generated projects run for real', () => {
  for (const combo of COMBINATIONS) {
    it(combo.name, () => runCombination(combo));
  }

  it('the published package: npm pack, real yo as a non-root user, npx, npm create: identical trees', async () => {
    const started = Date.now();
    const steps: StepResult[] = [];
    const step = async (name: string, fn: () => Promise<void>) => {
      const t = Date.now();
      try {
        await fn();
        steps.push({ step: name, status: 'passed', ms: Date.now() - t });
      } catch (e) {
        steps.push({ step: name, status: 'failed', ms: Date.now() - t });
        throw new Error(formatFailure('package', name, e));
      }
    };
    let dir = '';
    try {
      const r = await checkPackage(step);
      dir = r.dir;
      console.log(`[package] passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${r.log.join('\n  ')}`);
      if (process.env.E2E_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
    } finally {
      timings.set('package (npm pack, yo, npx, npm create)', { results: steps, ms: Date.now() - started });
    }
    expect(steps.every((s) => s.status === 'passed')).toBe(true);
  });
});
