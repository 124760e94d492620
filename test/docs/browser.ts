/**
 * The docs tests' machinery: the BUILT site served on 127.0.0.1 (random port) by a tiny static server, and
 * Debian's Chromium driven by playwright-core (no browser download). Shared by the test and the benchmark.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = path.join(ROOT, 'docs', '.vitepress', 'dist');
export const CHROMIUM = '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** Serve dist/ the way a static host does with clean URLs: /preview -> preview.html. */
export async function serveSite(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(path.join(DIST, 'preview.html'))) throw new Error(`no built site in ${DIST}: run npm run docs:build`);
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const candidates = [pathname, `${pathname}.html`, path.posix.join(pathname, 'index.html')];
    for (const candidate of candidates) {
      const file = path.join(DIST, path.normalize(candidate));
      if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) continue;
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Headless Debian Chromium with a fresh profile, removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'twelve-docs-chromium-'));
  // A persistent context is how playwright takes --user-data-dir: here a fresh, throwaway one.
  const context = await chromium.launchPersistentContext(profile, {
    acceptDownloads: true,
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** CLI flags (`--database mysql --celery --no-whitenoise`) as the page's query (`database=mysql&celery=true&...`). */
export function flagsToQuery(name: string, flags: readonly string[]): string {
  const params = new URLSearchParams({ name });
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!.replace(/^--/, '');
    const next = flags[i + 1];
    if (flag.startsWith('no-')) params.set(flag.slice(3), 'false');
    else if (next !== undefined && !next.startsWith('--')) {
      params.set(flag, next);
      i++;
    } else params.set(flag, 'true');
  }
  return params.toString();
}
