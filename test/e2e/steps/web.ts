/**
 * Step 6: the Procfile's `web` command with PORT set, production settings: /healthz 200 (also with
 * an unknown Host and no forwarded proto, as a probe sends it), /readyz 200 with database and cache
 * up, plain HTTP redirected to HTTPS, collected static files served by WhiteNoise with far-future
 * caching and a compressed variant, the admin as a person uses it (login, the lived-in model's
 * changelist, an upload: web-admin.ts), and every line on stdout a JSON object; then readiness with the
 * cache down (200, degraded) and with the database down (503).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_HOST, type Context } from '../support/context.js';
import { mustRun, StepFailure } from '../support/exec.js';
import { describeResponse, request, type Response } from '../support/http.js';
import { startWeb } from '../support/processes.js';
import { freePort } from '../support/services.js';
import { logLines } from '../support/logs.js';
import type { Step } from '../support/step.js';
import { adminChecks } from './web-admin.js';

const HTTPS = { Host: ALLOWED_HOST, 'X-Forwarded-Proto': 'https' };

export const web: Step = {
  id: 'web',
  title: 'web from the Procfile: health, readiness, static files, the admin and an upload, JSON logs',
  after: ['release'],
  async run(ctx: Context) {
    const env = ctx.prodEnv();
    const o = { cwd: ctx.project, env, timeoutMs: 300_000 };
    await mustRun('python', ['manage.py', 'collectstatic', '--noinput'], o, 'collectstatic');
    const where = await mustRun(
      'python',
      ['-c', 'import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"root": str(s.STATIC_ROOT), "url": s.STATIC_URL}))'],
      o,
      'reading STATIC_ROOT/STATIC_URL',
    );
    const staticConf = JSON.parse(where.stdout.trim().split('\n').pop()!) as { root: string; url: string };

    const { proc, port } = await startWeb(ctx, env);
    const failures: string[] = [];
    const expectStatus = async (what: string, p: string, headers: Record<string, string>, status: number, extra?: (r: Response) => string | undefined) => {
      let r: Response;
      try {
        r = await request(port, p, headers);
      } catch (e) {
        failures.push(`${what}: GET ${p} failed: ${(e as Error).message}`);
        return undefined;
      }
      const problem = r.status !== status ? `status ${r.status}, want ${status}` : extra?.(r);
      if (problem) failures.push(`${what}: GET ${p} ${JSON.stringify(headers)}: ${problem}\n${describeResponse(r)}`);
      return r;
    };

    await expectStatus('liveness as a probe sends it', '/healthz', { Host: '10.0.0.1' }, 200);
    await expectStatus('liveness', '/healthz', HTTPS, 200);
    await expectStatus('readiness with database and cache up', '/readyz', HTTPS, 200);
    await expectStatus('plain HTTP is redirected to HTTPS', '/', { Host: ALLOWED_HOST }, 301, (r) =>
      String(r.headers.location).startsWith(`https://${ALLOWED_HOST}/`) ? undefined : `Location ${r.headers.location}`,
    );
    const requestId = `e2e-${randomBytes(6).toString('hex')}`;
    await expectStatus('an unknown path is a 404, logged with its request id', '/e2e-no-such-page/', { ...HTTPS, 'X-Request-ID': requestId }, 404, (r) =>
      r.headers['x-request-id'] === requestId ? undefined : `X-Request-ID ${r.headers['x-request-id']} in the response, want ${requestId} echoed`,
    );

    if (ctx.combo.whitenoise) {
      const manifestFile = path.join(staticConf.root, 'staticfiles.json');
      if (!existsSync(manifestFile)) failures.push(`static: no ${manifestFile}: STORAGES staticfiles is not a manifest storage`);
      else {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { paths: Record<string, string> };
        const hashed = manifest.paths['admin/css/base.css'];
        if (!hashed) failures.push('static: admin/css/base.css is not in staticfiles.json');
        else {
          const url = `${staticConf.url.replace(/^\/?/, '/').replace(/\/?$/, '/')}${hashed}`;
          await expectStatus('hashed static file, far-future caching', url, HTTPS, 200, (r) => {
            const cc = String(r.headers['cache-control'] ?? '');
            const age = Number(/max-age=(\d+)/.exec(cc)?.[1] ?? 0);
            return age >= 365 * 24 * 3600 ? undefined : `Cache-Control "${cc}" is not far-future`;
          });
          await expectStatus('gzip variant', url, { ...HTTPS, 'Accept-Encoding': 'gzip' }, 200, (r) =>
            r.headers['content-encoding'] === 'gzip' ? undefined : `Content-Encoding ${r.headers['content-encoding']}, want gzip`,
          );
          if (existsSync(path.join(staticConf.root, `${hashed}.br`))) {
            await expectStatus('brotli variant', url, { ...HTTPS, 'Accept-Encoding': 'br' }, 200, (r) =>
              r.headers['content-encoding'] === 'br' ? undefined : `Content-Encoding ${r.headers['content-encoding']}, want br`,
            );
          } else ctx.note('web: no .br files collected (brotli not installed); only gzip checked');
        }
      }
    } else {
      ctx.note('web: WhiteNoise off: static files are for a CDN or proxy; collectstatic ran, serving not checked');
    }

    // A person at the admin of the lived-in project: login, changelist, an upload (web-admin.ts).
    failures.push(...(await adminChecks(ctx, port)));

    proc.signal('SIGTERM');
    const exit = await proc.waitExit(40_000);
    if (!exit) failures.push('web did not exit within 40 s of SIGTERM');

    const { lines, records: parsed, bad: notJson } = logLines(proc.stdout);
    if (!parsed.some((j) => j.request_id === requestId)) {
      failures.push(`logs: no JSON line on stdout carries request_id "${requestId}" (sent as X-Request-ID)`);
    }
    if (!lines.length) failures.push('logs: nothing on stdout: production logs must go to stdout as JSON lines');
    if (notJson.length) failures.push(`logs: ${notJson.length} of ${lines.length} stdout lines are not JSON objects, e.g.:\n${notJson.slice(0, 5).join('\n')}`);
    else if (lines.length) ctx.note(`web: ${lines.length} JSON log lines on stdout, e.g. ${lines.at(-1)!.slice(0, 300)}`);

    if (failures.length) throw new StepFailure(`${failures.length} check(s) failed:\n- ${failures.join('\n- ')}`, proc.command, proc.output);

    await readinessWhenDown(ctx);
  },
};

/**
 * Readiness fails only on what the process cannot serve without (issue 7 item 4). With the cache
 * unreachable (when there is one), /readyz answers 200 "degraded" naming the cache, and logs it: a
 * cache outage must not take every replica out of the load balancer at once. With the database
 * unreachable, /readyz answers 503 naming it. /healthz answers 200 either way.
 */
async function readinessWhenDown(ctx: Context): Promise<void> {
  const closed = await freePort(); // nothing listens there
  const c = ctx.combo;
  if (c.cache !== 'none') {
    const cacheDown: Record<string, string> = c.cache === 'redis' ? { REDIS_URL: `redis://127.0.0.1:${closed}/0` } : { CACHE_URL: `pymemcache://127.0.0.1:${closed}` };
    await readinessWith(ctx, cacheDown, 200, (body) => (body.status === 'degraded' && body.checks?.cache !== 'ok' && body.checks?.database === 'ok' ? undefined : 'want status "degraded", the cache named, the database "ok"'), 'cache degraded');
  }
  const dbDown = {
    DATABASE_URL:
      c.database === 'postgres'
        ? `postgres://postgres@127.0.0.1:${closed}/nothing`
        : c.database === 'mysql'
          ? `mysql://root@127.0.0.1:${closed}/nothing`
          : `sqlite:///${ctx.work}/no-such-dir/db.sqlite3`,
  };
  await readinessWith(ctx, dbDown, 503, (body) => (body.status === 'unavailable' && body.checks?.database !== 'ok' ? undefined : 'want status "unavailable" and the database named'), 'database unreachable');
}

interface Readiness {
  status?: string;
  checks?: Record<string, string>;
}

async function readinessWith(ctx: Context, down: Record<string, string>, want: number, judge: (body: Readiness) => string | undefined, logged: string): Promise<void> {
  const t0 = Date.now();
  const { proc, port } = await startWeb(ctx, ctx.prodEnv(down));
  const what = `${Object.keys(down).join(' and ')} unreachable`;
  const fail = (msg: string, r?: Response) => new StepFailure(`with ${what}: ${msg}${r ? `\n${describeResponse(r)}` : ''}`, proc.command, proc.output);
  try {
    const live = await request(port, '/healthz', HTTPS);
    if (live.status !== 200) throw fail('/healthz must not depend on the database or cache, but it did not answer 200', live);
    const r = await request(port, '/readyz', HTTPS);
    if (r.status !== want) throw fail(`/readyz answered ${r.status}, want ${want}`, r);
    let body: Readiness;
    try {
      body = JSON.parse(r.text) as Readiness;
    } catch {
      throw fail('/readyz body is not JSON', r);
    }
    const problem = judge(body);
    if (problem) throw fail(`/readyz ${r.status}: ${problem}`, r);
    const deadline = Date.now() + 5_000;
    while (!proc.stdout.includes(logged) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    if (!proc.stdout.includes(logged)) throw fail(`nothing on stdout says "${logged}": the readiness problem must be logged`);
    ctx.note(`web: with ${what}: /readyz ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s ${r.text.slice(0, 200)}`);
  } finally {
    const t1 = Date.now();
    await proc.stop();
    ctx.note(`web: stopped in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  }
}
