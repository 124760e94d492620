/**
 * Step 7: graceful shutdown. A slow request (a test-only view the suite writes into the temp
 * project, never into the templates) is in flight when the web process gets SIGTERM: it completes
 * with 200, and the process exits 0 within its graceful timeout.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { StepFailure } from '../support/exec.js';
import { request } from '../support/http.js';
import { gracefulTimeout, startWeb } from '../support/processes.js';
import type { Step } from '../support/step.js';

const SLOW_SECONDS = 3;

const SLOW_URLS = `"""Test-only URLs written by the end-to-end suite: the project's URLs plus a slow view."""

import time

from django.http import HttpResponse
from django.urls import include, path


def slow(request):
    time.sleep(${SLOW_SECONDS})
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
    writeFileSync(ctx.file('e2e_slow.py'), SLOW_URLS);
    writeFileSync(ctx.file('e2e_settings.py'), SLOW_SETTINGS);
    ctx.cleanups.push(async () => {
      for (const f of ['e2e_slow.py', 'e2e_settings.py']) rmSync(ctx.file(f), { force: true });
    });
    const grace = gracefulTimeout(ctx);
    const { proc, port } = await startWeb(ctx, ctx.prodEnv({ DJANGO_SETTINGS_MODULE: 'e2e_settings' }));
    const fail = (msg: string) => new StepFailure(msg, proc.command, proc.output);

    const started = Date.now();
    const inFlight = request(port, '/e2e-slow/', { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' }, (SLOW_SECONDS + grace + 10) * 1000).then(
      (r) => r,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 1000)); // the request is in the view's sleep now
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
  },
};
