/**
 * Step 10 (once): the published package. `npm pack`, install the tarball and yo@7.0.1 into a fresh
 * prefix, run real `yo twelve-django` as a non-root user (yo refuses root) and
 * `npx generator-twelve-django` and `npm create twelve-django` (packages/create-twelve-django, packed and installed
 * alongside) from the same install with the same answers: identical trees (the git-ignored .env differs only in its
 * generated secret).
 */
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../support/context.js';
import { cleanEnv, mustRun, run, StepFailure } from '../support/exec.js';

export const YO_VERSION = '7.0.1';
export const E2E_USER = process.env.E2E_USER ?? 'twelve-e2e';
const NAME = 'packaged-site';
const ANSWERS = [
  '--yes', '--description', 'Packaged e2e project', '--author-name', 'E2E Tester', '--author-email', 'e2e@example.com',
  '--python', '3.11', '--django', '5.2', '--database', 'mysql', '--cache', 'memcached', '--celery', '--broker', 'rabbitmq',
  '--beat', '--server', 'granian', '--no-whitenoise', '--skip-install', '--skip-git',
];

function files(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name), root) : [path.relative(root, path.join(dir, e.name))]))
    .sort();
}

/** The .env's generated secret is the one expected difference. */
const maskSecret = (text: string) => text.replace(/^(DJANGO_SECRET_KEY=).*$/m, '$1<secret>');

export interface PackageResult {
  log: string[];
  dir: string;
}

export async function checkPackage(step: (name: string, fn: () => Promise<void>) => Promise<void>): Promise<PackageResult> {
  const log: string[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'twelve-e2e-pkg-'));
  chmodSync(dir, 0o755);
  const env = cleanEnv({ NO_UPDATE_NOTIFIER: '1', npm_config_update_notifier: 'false' });
  const prefix = path.join(dir, 'prefix');
  mkdirSync(prefix, { mode: 0o755 });
  let tarball = '';
  let createTarball = '';

  await step('npm pack', async () => {
    const r = await mustRun('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: REPO, env, timeoutMs: 300_000 }, 'npm pack');
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(dir, path.basename(json[0]!.filename));
    const packed = json[0]!.files.map((f) => f.path);
    const bad = packed.filter((p) => /^(test|\.ci|scripts|node_modules|\.tools|\.cache)\//.test(p));
    if (bad.length) throw new StepFailure(`the package holds files it should not: ${bad.slice(0, 10).join(', ')}`, r.command);
    if (!packed.some((p) => p.startsWith('templates/'))) throw new StepFailure('the package holds no templates/', r.command);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
    const bin = path.normalize(pkg.bin?.['generator-twelve-django'] ?? '(none)');
    // yo looks for <lookup>/app/index.js with the lookups '.', 'generators', 'lib/generators', 'dist/generators'
    const app = ['app', 'generators/app', 'lib/generators/app', 'dist/generators/app'].map((d) => `${d}/index.js`);
    const missing = [...(packed.includes(bin) ? [] : [bin]), ...(app.some((f) => packed.includes(f)) ? [] : ['generators/app/index.js'])];
    if (missing.length) {
      throw new StepFailure(
        `the package lacks ${missing.join(' and ')} (package.json bin: ${bin}; files: ${packed.filter((p) => p.endsWith('.js')).slice(0, 8).join(', ') || 'no .js at all'})`,
        r.command,
      );
    }
    log.push(`npm pack: ${path.basename(tarball)}, ${packed.length} files`);
    const c = await mustRun('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: path.join(REPO, 'packages', 'create-twelve-django'), env, timeoutMs: 120_000 }, 'npm pack (create-twelve-django)');
    createTarball = path.join(dir, path.basename((JSON.parse(c.stdout.slice(c.stdout.indexOf('['))) as Array<{ filename: string }>)[0]!.filename));
    log.push(`npm pack: ${path.basename(createTarball)}`);
  });

  await step(`npm install tarball + yo@${YO_VERSION}`, async () => {
    await mustRun('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--omit=dev', tarball, createTarball, `yo@${YO_VERSION}`], { cwd: dir, env, timeoutMs: 600_000 }, 'npm install');
    // the non-root user needs a node it can reach: the suite's own may live under /root
    mkdirSync(path.join(dir, 'bin'), { mode: 0o755 });
    copyFileSync(realpathSync(process.execPath), path.join(dir, 'bin', 'node'));
    chmodSync(path.join(dir, 'bin', 'node'), 0o755);
    await mustRun('chmod', ['-R', 'a+rX', dir], { cwd: dir, env }, 'chmod');
  });

  const yoOut = path.join(prefix, 'yo-out');
  const npxOut = path.join(prefix, 'npx-out');
  const createOut = path.join(prefix, 'create-out');
  await step(`yo twelve-django as ${E2E_USER}`, async () => {
    const id = await run('id', ['-u', E2E_USER], { cwd: dir, env });
    const uid = Number(id.stdout.trim());
    if (id.code !== 0 || !uid) throw new StepFailure(`no non-root user ${E2E_USER}: create it with \`bash scripts/ensure-services.sh\``, id.command, id.output);
    mkdirSync(yoOut);
    chownSync(yoOut, uid, uid);
    const home = path.join(dir, 'home');
    mkdirSync(home);
    chownSync(home, uid, uid);
    const userEnv = {
      PATH: `${path.join(dir, 'bin')}:${path.join(prefix, 'node_modules', '.bin')}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home,
      LANG: 'C.UTF-8',
      NO_UPDATE_NOTIFIER: '1',
      CI: 'true',
    };
    const r = await mustRun('yo', ['twelve-django', NAME, ...ANSWERS, '--no-insight'], { cwd: yoOut, env: userEnv, user: E2E_USER, timeoutMs: 300_000 }, `yo twelve-django (as ${E2E_USER})`);
    log.push(`yo: ${r.output.trim().split('\n').slice(-1)[0] ?? ''}`);
  });

  await step('npx generator-twelve-django', async () => {
    mkdirSync(npxOut);
    const r = await mustRun('npx', ['--no', 'generator-twelve-django', NAME, ...ANSWERS], { cwd: npxOut, env, timeoutMs: 300_000 }, 'npx generator-twelve-django');
    log.push(`npx: ${r.output.trim().split('\n').slice(-1)[0] ?? ''}`);
  });

  await step('npm create twelve-django', async () => {
    mkdirSync(createOut);
    // Exactly what users type; npm finds create-twelve-django installed in the prefix.
    const r = await mustRun('npm', ['create', 'twelve-django', '--', NAME, ...ANSWERS], { cwd: createOut, env, timeoutMs: 300_000 }, 'npm create twelve-django');
    log.push(`npm create: ${r.output.trim().split('\n').slice(-1)[0] ?? ''}`);
  });

  await step('identical trees', async () => {
    for (const [label, other] of [['npx', npxOut], ['npm create', createOut]] as const) compareTrees(path.join(yoOut, NAME), path.join(other, NAME), label, log);
  });
  return { log, dir };
}

function compareTrees(a: string, b: string, label: string, log: string[]): void {
  const fa = files(a);
  const fb = files(b);
  if (fa.join('\n') !== fb.join('\n')) {
    const onlyA = fa.filter((f) => !fb.includes(f));
    const onlyB = fb.filter((f) => !fa.includes(f));
    throw new StepFailure(`file lists differ: only from yo: ${onlyA.join(', ') || '-'}; only from ${label}: ${onlyB.join(', ') || '-'}`);
  }
  if (fa.length < 10) throw new StepFailure(`only ${fa.length} files generated: ${fa.join(', ')}`);
  const differ = fa.filter((f) => {
    const x = readFileSync(path.join(a, f), 'utf8');
    const y = readFileSync(path.join(b, f), 'utf8');
    return f === '.env' ? maskSecret(x) !== maskSecret(y) : x !== y;
  });
  if (differ.length) throw new StepFailure(`files differ between yo and ${label}: ${differ.join(', ')}`, `diff -r ${a} ${b}`);
  log.push(`yo and ${label} identical: ${fa.length} files (.env compared without its secret)`);
}
