/**
 * `npm run bench:preview`: in real Chromium on the built site, how long one re-render of the everything-on
 * project takes in the page, and how big the preview chunk is (raw and gzipped). Prints; asserts nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { COMBINATIONS } from '../e2e/combinations.ts';
import { DIST, flagsToQuery, launchChromium, serveSite } from './browser.ts';

/** The everything-on answers, as the e2e covering set defines them. */
const EVERYTHING = COMBINATIONS.find((c) => c.kind === 'everything-on')!.flags;
const RUNS = 30;

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const chunks = path.join(DIST, 'assets', 'chunks');
for (const file of readdirSync(chunks).filter((f) => /^Preview\..*\.js$/.test(f))) {
  const raw = readFileSync(path.join(chunks, file));
  console.log(`preview chunk ${file}: ${kib(raw.length)} raw, ${kib(gzipSync(raw).length)} gzipped`);
}

const site = await serveSite();
const chromium = await launchChromium();
try {
  const page = await chromium.context.newPage();
  await page.goto(`${site.url}/preview?${flagsToQuery('bench-site', EVERYTHING)}`);
  await page.waitForFunction(() => document.documentElement.dataset.previewReady === 'true');

  // The core alone in the page: answers -> every file, as the page computes them.
  const renderTimes = await page.evaluate(async (runs) => {
    const hook = (window as unknown as { twelveDjangoPreview: { renderQuery(q: string): Promise<unknown> } }).twelveDjangoPreview;
    const query = location.search;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await hook.renderQuery(query);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b);
  }, RUNS);

  // One form change to updated page: toggle the server (every file's tree and the open file re-render).
  const uiTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const target = i % 2 === 0 ? 'gunicorn' : 'granian';
    uiTimes.push(
      await page.evaluate(async (value) => {
        const select = document.querySelector<HTMLSelectElement>('select[name="server"]')!;
        const done = new Promise<void>((resolve) => {
          const check = () => (new URLSearchParams(location.search).get('server') === (value === 'gunicorn' ? null : value) ? resolve() : requestAnimationFrame(check));
          check();
        });
        const start = performance.now();
        select.value = value;
        select.dispatchEvent(new Event('change'));
        await done;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        return performance.now() - start;
      }, target),
    );
  }
  uiTimes.sort((a, b) => a - b);
  const files = await page.$$eval('[data-tree] [data-path]', (els) => els.length);
  const median = (t: number[]) => t[Math.floor(t.length / 2)]!.toFixed(1);
  console.log(`everything on, ${files} files: render in the page median ${median(renderTimes)} ms; form change to painted page median ${median(uiTimes)} ms (${RUNS} runs each)`);
} finally {
  await chromium.close();
  await site.close();
}
