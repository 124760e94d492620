/**
 * The docs preview in real Chromium, against the CLI: what the page shows, zips, links, commands and patches
 * must be exactly what `node lib/shell/cli.js` writes. The site under test is the BUILT one (`npm run test:docs`
 * builds it first), so a template edited after the build makes the parity checks fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseValue, resolveAnswers } from '../../core/answers.js';
import { ANSWER_OPTIONS } from '../../core/options.js';
import { SUBGENERATORS, alreadyThere, subgeneratorByName, subgeneratorGiven } from '../../core/subgenerators.js';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { COMBINATIONS, cliArgs, expectedAnswers } from '../e2e/combinations.js';
import { loadTemplates } from '../../shell/templates.js';
import { ROOT, flagsToQuery, launchChromium, serveSite } from './browser.js';

const CLI = path.join(ROOT, 'lib', 'shell', 'cli.js');
const EVERYTHING = COMBINATIONS.find((c) => c.kind === 'everything-on')!;

/** The option sets the issue names; the everything-on flags come from the e2e covering set. */
const SETS: { name: string; flags: string[] }[] = [
  { name: 'page-defaults', flags: [] },
  { name: 'page-everything', flags: EVERYTHING.flags },
  { name: 'page-lite', flags: ['--database', 'sqlite', '--cache', 'none', '--server', 'granian', '--no-whitenoise'] },
  { name: 'page-rabbit', flags: ['--database', 'mysql', '--cache', 'memcached', '--server', 'uvicorn', '--celery', '--broker', 'rabbitmq'] },
];

type Tree = Map<string, { content: Buffer; mode: number }>;

let site: { url: string; close: () => Promise<void> };
let chromium: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let work: string;
const errors: string[] = [];

/** Run the built CLI (umask 022, like a usual shell) and fail with its stderr. */
function cli(cwd: string, args: readonly string[]): void {
  const run = spawnSync('bash', ['-c', 'umask 022 && exec node "$@"', 'cli', CLI, ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')}: ${run.stderr}`);
}

function cliError(args: readonly string[]): string {
  const run = spawnSync('node', [CLI, ...args], { cwd: work, encoding: 'utf8' });
  expect(run.status).toBe(1);
  return run.stderr.trim().replace(/^generator-twelve-django: /, '');
}

/** Every file under dir (no .git), with its bytes and permission bits. */
function readTree(dir: string): Tree {
  const out: Tree = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full).split(path.sep).join('/');
    if (rel === '.git' || rel.startsWith('.git/')) continue;
    out.set(rel, { content: readFileSync(full), mode: statSync(full).mode & 0o777 });
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** A tree as comparable strings; the fresh secrets of `.env` (the only random bytes) are masked. */
async function comparable(tree: Tree, name: string): Promise<Record<string, string>> {
  const answers = await resolveAnswers({ projectName: name }, { yes: true });
  const generated = buildModel(answers).env.filter((v) => v.generated).map((v) => v.name);
  return Object.fromEntries(
    [...tree].map(([p, f]) => {
      let text = f.content.toString('utf8');
      if (p === '.env') for (const v of generated) text = text.replace(new RegExp(`^${v}=.*$`, 'm'), `${v}=<secret>`);
      return [p, `${f.mode.toString(8)} ${text}`];
    }),
  );
}

/** A query read the CLI's way: each key a flag (or `name`), parsed by the option's own rules. */
function givenFromQuery(params: URLSearchParams): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const option = ANSWER_OPTIONS.find((o) => o.flag === key);
    if (!option) throw new Error(`${key} is not a flag`);
    given[option.name] = parseValue(option, value);
  }
  return given;
}

async function openPreview(query: string): Promise<void> {
  await page.goto(`${site.url}/preview?${query}`);
  await page.waitForFunction(() => document.documentElement.dataset.previewReady === 'true');
}

async function shownPaths(): Promise<string[]> {
  return page.$$eval('[data-tree] [data-path]', (els) => els.map((e) => e.getAttribute('data-path')!));
}

async function openFile(file: string): Promise<string> {
  await page.click(`[data-tree] [data-path="${file}"]`);
  await page.waitForFunction((f) => document.querySelector('[data-code]')?.getAttribute('data-for') === f, file);
  return page.$eval('[data-code] pre', (el) => el.textContent ?? '');
}

async function download(selector: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const target = path.join(work, `${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(target);
  return target;
}

/** The zip as Python's zipfile reads it: entry -> bytes and Unix mode (an independent reader). */
function readZip(file: string): Tree {
  const script = `import base64, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: [i.external_attr >> 16, base64.b64encode(z.read(i)).decode()] for i in z.infolist()}))`;
  const entries = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, [number, string]>;
  const out: Tree = new Map();
  for (const [name, [attrs, b64]] of Object.entries(entries)) {
    expect(attrs & 0o170000, `${name} is a regular file`).toBe(0o100000);
    out.set(name, { content: Buffer.from(b64, 'base64'), mode: attrs & 0o777 });
  }
  return out;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'twelve-docs-'));
  site = await serveSite();
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(SETS)('the preview of $name ($flags)', ({ name, flags }) => {
  let dir: string;
  let cliTree: Tree;

  beforeAll(() => {
    const parent = mkdtempSync(path.join(work, 'cli-'));
    cli(parent, [name, '--yes', '--skip-install', '--skip-git', ...flags]);
    dir = path.join(parent, name);
    cliTree = readTree(dir);
  });

  it('lists the files the CLI writes (and says .env is not rendered) and shows each one byte for byte', async () => {
    if (name === 'page-rabbit') {
      // This set is reached through the form, not a link: the same rules as the CLI, field by field.
      await openPreview(`name=${name}`);
      expect(await page.$('[data-option="beat"]'), 'beat only with Celery').toBeNull();
      await page.selectOption('select[name="database"]', 'mysql');
      await page.selectOption('select[name="cache"]', 'memcached');
      await page.selectOption('select[name="server"]', 'uvicorn');
      await page.check('input[name="celery"]');
      await page.waitForSelector('select[name="broker"]');
      await page.selectOption('select[name="broker"]', 'rabbitmq');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('broker') === 'rabbitmq');
    } else {
      await openPreview(flagsToQuery(name, flags));
    }
    const expected = [...cliTree.keys()].filter((p) => p !== '.env');
    expect(cliTree.has('.env')).toBe(true);
    const owners = buildModel(await resolveAnswers(givenFromQuery(new URLSearchParams(flagsToQuery(name, flags))), { yes: true })).fileFeatures;
    expect(await shownPaths()).toEqual(expected);
    expect(await page.textContent('[data-env]')).toContain('not rendered');
    for (const file of expected) {
      expect(await openFile(file), file).toBe(cliTree.get(file)!.content.toString('utf8'));
      expect(await page.textContent('[data-feature]'), file).toBe(`from ${owners.get(file) ?? 'generator'}`);
      const empty = (await page.$('[data-viewer] [data-empty]')) !== null;
      expect(empty, `${file} marked empty`).toBe(cliTree.get(file)!.content.length === 0);
    }
  });

  it('downloads a zip with the CLI\'s entries, bytes and modes (.env with a fresh secret)', async () => {
    const zip = readZip(await download('[data-action="download-zip"]'));
    const inDir = new Map([...zip].map(([p, f]) => [p.slice(name.length + 1), f]));
    expect([...zip.keys()].every((p) => p.startsWith(`${name}/`))).toBe(true);
    expect(await comparable(inDir, name)).toEqual(await comparable(cliTree, name));
    expect(inDir.get('.env')!.content.toString()).not.toBe(cliTree.get('.env')!.content.toString());
  });

  it('shows the commands that make the same project', async () => {
    const npx = (await page.textContent('[data-command="npx"]'))!;
    const yo = (await page.textContent('[data-command="yo"]'))!;
    expect(npx.startsWith('npx generator-twelve-django ')).toBe(true);
    expect(yo.replace(/^yo twelve-django /, '')).toBe(npx.replace(/^npx generator-twelve-django /, ''));
    const parent = mkdtempSync(path.join(work, 'cmd-'));
    const line = npx.replace(/^npx generator-twelve-django /, '');
    const run = spawnSync('bash', ['-c', `umask 022 && node "${CLI}" ${line} --skip-install --skip-git`], { cwd: parent, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(await comparable(readTree(path.join(parent, name)), name)).toEqual(await comparable(cliTree, name));
  });

  it('writes its state in the URL (CLI flag names, defaults left out) and a reload restores it', async () => {
    const file = 'Procfile';
    await openFile(file);
    await page.waitForFunction((f) => new URLSearchParams(location.search).get('file') === f, file);
    const written = new URLSearchParams(new URL(page.url()).search);
    written.delete('file');
    expect(written.get('name')).toBe(name);
    // Every key is a CLI flag with a CLI value, means the same answers as the flags, and none is a default:
    // leaving any one out changes the answers.
    const answersOf = (params: URLSearchParams) => resolveAnswers(givenFromQuery(params), { yes: true });
    expect(await answersOf(written)).toEqual(await answersOf(new URLSearchParams(flagsToQuery(name, flags))));
    for (const key of [...written.keys()].filter((k) => k !== 'name')) {
      const without = new URLSearchParams(written);
      without.delete(key);
      // (A refusal counts as a change: without `celery`, `broker` is refused.)
      const changed = await answersOf(without).catch((e: Error) => e.message);
      expect(changed, `${key} is a default`).not.toEqual(await answersOf(written));
    }
    const form = () => page.$$eval('[data-form="main"] [name]', (els) =>
      els.map((e) => [e.getAttribute('name'), e instanceof HTMLInputElement && e.type === 'checkbox' ? String(e.checked) : (e as HTMLInputElement).value]));
    const before = await form();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.previewReady === 'true');
    await page.waitForFunction((f) => document.querySelector('[data-code]')?.getAttribute('data-for') === f, file);
    expect(await form()).toEqual(before);
    expect(await page.textContent('[data-open-path]')).toBe(file);
    expect(await page.$('[data-problems]')).toBeNull();
  });

  it('compares with what `yo twelve-django:<sub>` would change: the patch, git-applied, gives the subgenerator\'s project', async () => {
    const answers = await resolveAnswers(givenFromQuery(new URLSearchParams(flagsToQuery(name, flags))), { yes: true });
    for (const { name: sub } of SUBGENERATORS) {
      await page.selectOption('[data-compare]', `sub:${sub}`);
      if (alreadyThere(subgeneratorByName(sub), answers)) {
        await page.waitForSelector('[data-compare-note]');
        continue;
      }
      // A subgenerator these answers refuse (kubernetes on SQLite): the page says what the CLI says.
      const refused = await resolveAnswers(subgeneratorGiven(subgeneratorByName(sub), answers), { yes: true }).then(
        () => undefined,
        (e: Error) => e.message,
      );
      if (refused) {
        expect(await (await page.waitForSelector('[data-compare-error]')).textContent(), sub).toBe(refused);
        const ran = mkdtempSync(path.join(work, 'refused-'));
        cpSync(dir, ran, { recursive: true });
        const run = spawnSync('node', [CLI, sub, '--yes', '--skip-install'], { cwd: ran, encoding: 'utf8' });
        expect(run.status, sub).toBe(1);
        expect(run.stderr.trim(), sub).toBe(`generator-twelve-django: ${refused}`);
        continue;
      }
      const patch = await download('[data-action="download-patch"]');
      const applied = mkdtempSync(path.join(work, 'apply-'));
      const ran = mkdtempSync(path.join(work, 'sub-'));
      cpSync(dir, applied, { recursive: true });
      cpSync(dir, ran, { recursive: true });
      execFileSync('git', ['apply', '--check', patch], { cwd: applied });
      execFileSync('git', ['apply', patch], { cwd: applied });
      cli(ran, [sub, '--yes', '--skip-install']);
      const strip = (t: Tree) => new Map([...t].filter(([p]) => p !== '.env'));
      expect(await comparable(strip(readTree(applied)), name), sub).toEqual(await comparable(strip(readTree(ran)), name));
      expect(readFileSync(patch, 'utf8')).toContain(`diff --git a/.yo-rc.json b/.yo-rc.json`);
    }
    await page.selectOption('[data-compare]', 'none');
  });

  it('logged no page or console errors', () => {
    expect(errors).toEqual([]);
  });
});

describe('compare with other answers', () => {
  it('lists added, removed and changed files between two answer sets, and their patch applies', async () => {
    await openPreview('name=other-site');
    await page.selectOption('[data-compare]', 'answers');
    await page.selectOption('[data-form="other"] select[name="server"]', 'granian');
    await page.waitForSelector('[data-change="added"]');
    const listed = await page.$$eval('[data-change]', (els) => els.map((e) => [e.getAttribute('data-change'), e.textContent!.replace(/^\s*\w+\s+/, '').trim()]));
    const base = render(await resolveAnswers({ projectName: 'other-site' }, { yes: true }), loadTemplates());
    const theirs = render(await resolveAnswers({ projectName: 'other-site', server: 'granian' }, { yes: true }), loadTemplates());
    expect(listed).toContainEqual(['added', 'config/granian.py']);
    expect(listed).toContainEqual(['removed', 'gunicorn.conf.py']);
    expect(listed.map(([, p]) => p)).toEqual([...new Set([...base.keys(), ...theirs.keys()])].filter((p) => base.get(p) !== theirs.get(p)).sort());
    const parent = mkdtempSync(path.join(work, 'other-'));
    cli(parent, ['other-site', '--yes', '--skip-install', '--skip-git']);
    const patch = await download('[data-action="download-patch"]');
    execFileSync('git', ['apply', patch], { cwd: path.join(parent, 'other-site') });
    const wanted = mkdtempSync(path.join(work, 'other-granian-'));
    cli(wanted, ['other-site', '--yes', '--skip-install', '--skip-git', '--server', 'granian']);
    const strip = (t: Tree) => new Map([...t].filter(([p]) => p !== '.env'));
    expect(await comparable(strip(readTree(path.join(parent, 'other-site'))), 'other-site')).toEqual(
      await comparable(strip(readTree(path.join(wanted, 'other-site'))), 'other-site'),
    );
    expect(errors).toEqual([]);
  });
});

describe('what the CLI refuses, the page reports with the CLI\'s message', () => {
  it('reports unknown keys and values of a link, and flags where they do not apply', async () => {
    await openPreview('name=shop&databse=mysql&cache=mongo');
    const problems = await page.$$eval('[data-problems] li', (els) => els.map((e) => e.textContent));
    expect(problems[0]).toMatch(/^unknown key "databse" in the link: allowed are name, .*database.*, file$/);
    expect(problems[1]).toBe(cliError(['shop', '--yes', '--cache', 'mongo']));
    await openPreview('name=shop&beat=false');
    expect(await page.$$eval('[data-problems] li', (els) => els.map((e) => e.textContent))).toEqual([cliError(['shop', '--yes', '--no-beat'])]);
  });

  it('explains a refused combination in place (Django 6.1 on Python 3.11)', async () => {
    // The form offers the choice disabled, with the CLI's own line, before anyone picks it.
    await openPreview('name=shop&python=3.11');
    expect(await page.isDisabled('select[name="django"] option[value="6.1"]')).toBe(true);
    const cli = cliError(['shop', '--yes', '--python', '3.11', '--django', '6.1']);
    expect(await page.textContent('[data-option="django"] [data-refused]')).toBe(cli);
    // A link that asks for it anyway gets the same line where the field is.
    await openPreview('name=shop&python=3.11&django=6.1');
    expect(await page.textContent('body')).toContain(cli);
    errors.length = 0; // the refused choice is a form message, not a page error: nothing else may have logged
  });
});

describe('in-browser render equals Node\'s render() for every combination of the e2e covering set', () => {
  it('matches file for file (templates read from disk now, so an edit after the docs build fails here)', async () => {
    await openPreview('name=parity');
    const templates = loadTemplates(`${path.join(ROOT, 'templates')}/`);
    for (const c of COMBINATIONS) {
      const [projectName, , ...flags] = cliArgs(c);
      const inPage = await page.evaluate(
        (q) => (window as unknown as { twelveDjangoPreview: { renderQuery(q: string): Promise<unknown> } }).twelveDjangoPreview.renderQuery(q),
        flagsToQuery(projectName!, flags),
      );
      const answers = await resolveAnswers({ projectName, ...expectedAnswers(c) }, { yes: true });
      expect(inPage, c.name).toEqual({ files: Object.fromEntries(render(answers, templates)) });
    }
    expect(errors).toEqual([]);
  });
});

// Keep a copy of a failing page for a human: `DOCS_TEST_SCREENSHOT=1` writes one next to the work dir.
afterAll(async () => {
  if (process.env.DOCS_TEST_SCREENSHOT && page) writeFileSync(path.join(tmpdir(), 'twelve-docs-last.png'), await page.screenshot({ fullPage: true }));
});
