/**
 * Step 7: graceful shutdown. A slow request (a test-only view the suite writes into the temp
 * project, never into the templates) is in flight when the web process gets SIGTERM: it completes
 * with 200, and the process exits 0 within its graceful timeout.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { StepFailure } from '../support/exec.js';
import { request } from '../support/http.js';
import { gracefulTimeout, startWeb } from '../support/processes.js';
import type { Step } from '../support/step.js';

const SLOW_SECONDS = 3;

const SLOW_URLS = `"""Test-only URLs written by the end-to-end suite: the project's URLs plus a slow view."""

import os
import pathlib
import time

from django.http import HttpResponse
from django.urls import include, path


def slow(request):
    # tells the suite the request is in the view, so SIGTERM lands while it is in flight
    pathlib.Path(os.environ["E2E_SLOW_MARKER"]).touch()
    time.sleep(float(os.environ.get("E2E_SLOW_SECONDS", "${SLOW_SECONDS}")))
    return HttpResponse("slow done")


urlpatterns = [path("e2e-slow/", slow), path("", include("config.urls"))]
`;

const SLOW_SETTINGS = `"""Test-only settings written by the end-to-end suite."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "e2e_slow"
`;

export const shutdown: Step = {
  id: 'shutdown',
  title: 'SIGTERM drains an in-flight request, exit 0',
  after: ['release'],
  async run(ctx: Context) {
    await withSlowView(ctx, () => drain(ctx));
  },
};

/**
 * Runs `fn` with the test-only slow view in the project (settings module `e2e_settings`, marker file from
 * E2E_SLOW_MARKER, sleep E2E_SLOW_SECONDS), removed again so the project's own tests see it as generated.
 */
export async function withSlowView<T>(ctx: Context, fn: () => Promise<T>): Promise<T> {
  writeFileSync(ctx.file('e2e_slow.py'), SLOW_URLS);
  writeFileSync(ctx.file('e2e_settings.py'), SLOW_SETTINGS);
  try {
    return await fn();
  } finally {
    for (const f of ['e2e_slow.py', 'e2e_settings.py']) rmSync(ctx.file(f), { force: true });
  }
}

/** Starts web with the slow view, sends SIGTERM while a request is in it, checks the drain. */
async function drain(ctx: Context): Promise<void> {
  const grace = gracefulTimeout(ctx);
  const marker = path.join(ctx.work, 'e2e-slow-started');
  rmSync(marker, { force: true });
  const { proc, port } = await startWeb(ctx, ctx.prodEnv({ DJANGO_SETTINGS_MODULE: 'e2e_settings', E2E_SLOW_MARKER: marker }));
  const fail = (msg: string) => new StepFailure(msg, proc.command, proc.output);

  const started = Date.now();
  const inFlight = request(port, '/e2e-slow/', { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' }, (SLOW_SECONDS + grace + 10) * 1000).then(
    (r) => r,
    (e: Error) => e,
  );
  for (let waited = 0; !existsSync(marker); waited += 50) {
    if (waited > 15_000) throw fail('the slow request did not reach its view within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200)); // well inside the view's sleep
  const sigterm = Date.now();
  proc.signal('SIGTERM');

  const r = await inFlight;
  if (r instanceof Error) throw fail(`the in-flight request failed after SIGTERM: ${r.message}`);
  if (r.status !== 200 || r.text !== 'slow done') throw fail(`the in-flight request got ${r.status} "${r.text.slice(0, 200)}" after SIGTERM, want 200 "slow done"`);
  if (Date.now() - started < SLOW_SECONDS * 1000) throw fail('the slow request returned too early: the test view did not run');

  const exit = await proc.waitExit((grace + 5) * 1000 - (Date.now() - sigterm));
  if (!exit) throw fail(`the web process was still running ${grace + 5} s after SIGTERM (graceful timeout ${grace} s)`);
  if (exit.code !== 0) throw fail(`the web process exited ${exit.code ?? exit.signal} after SIGTERM, want 0`);
  ctx.note(`shutdown: exited 0 ${((Date.now() - sigterm) / 1000).toFixed(1)} s after SIGTERM (graceful timeout ${grace} s)`);
}
