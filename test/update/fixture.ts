/**
 * An "earlier release" of the package for the update tests: this repository's sources with a different version and
 * a few template changes of the kinds releases make (a changed line, a renamed file, a removed file, a changed
 * example value), built and packed as a tarball, then installed by npm into a cache directory exactly where the
 * update path looks for it (`$TWELVE_DJANGO_CACHE_DIR/<version>/node_modules/generator-twelve-django`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from '../subgenerators/helpers.js';

export const OLD_VERSION = '0.0.1';

/** What the earlier release wrote differently; each `find` must exist, so the fixture can never silently match. */
const CHANGES: { file: string; find: string; replace: string }[] = [
  // A line the current version changed.
  { file: 'templates/config/settings/base.py.ejs', find: 'WSGI_APPLICATION = "config.wsgi.application"\n', replace: 'WSGI_APPLICATION = "config.wsgi.application"  # the WSGI entry point\n' },
  // A file the current version renamed (.hadolint.yml -> .hadolint.yaml).
  { file: 'core/features/container.ts', find: "'.hadolint.yaml'", replace: "'.hadolint.yml'" },
  // A file the current version no longer writes.
  { file: 'core/features/project.ts', find: "      'README.md',\n", replace: "      'README.md',\n      'CONTRIBUTING.md',\n" },
  // A dependency the current version added (users `uv add` right there: update.test.ts).
  { file: 'core/features/security.ts', find: '    requirements: [{ spec: PY.djangoCsp }],\n', replace: '' },
  // A setting at the end of base.py that the current version no longer writes (users append right there).
  { file: 'templates/config/settings/base.py.ejs', find: '<%- include(p.template, { p: p.data ?? {} }) _%>\n<%_ } _%>\n', replace: '<%- include(p.template, { p: p.data ?? {} }) _%>\n<%_ } _%>\n\n# Sessions last two weeks.\nSESSION_COOKIE_AGE = 60 * 60 * 24 * 14\n' },
  // An example value the current version changed (.env.example and .env).
  { file: 'core/features/server.ts', find: "example: '2',\n          description: 'Web worker processes", replace: "example: '4',\n          description: 'Web worker processes" },
];

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}: ${result.stderr}${result.error ?? ''}`);
  return result.stdout;
}

/** Build, pack and install the earlier release into `cacheRoot`; returns the installed package directory. */
export function installOldRelease(cacheRoot: string, version = OLD_VERSION): string {
  const src = mkdtempSync(path.join(tmpdir(), 'twelve-old-src-'));
  // scripts/bench-app.ts builds on the e2e support modules: tsc needs them to compile scripts/.
  for (const entry of ['core', 'shell', 'templates', 'scripts', 'test/e2e/support', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'CHANGELOG.md']) {
    cpSync(path.join(ROOT, entry), path.join(src, entry), { recursive: true, filter: (from) => !from.endsWith('package.generated.ts') });
  }
  const pkg = JSON.parse(readFileSync(path.join(src, 'package.json'), 'utf8')) as { version: string };
  pkg.version = version;
  writeFileSync(path.join(src, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const change of CHANGES) {
    const file = path.join(src, change.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(change.find)) throw new Error(`fixture: ${change.file} no longer contains ${JSON.stringify(change.find)}`);
    writeFileSync(file, text.replace(change.find, change.replace));
  }
  renameSync(path.join(src, 'templates/.hadolint.yaml.ejs'), path.join(src, 'templates/.hadolint.yml.ejs'));
  writeFileSync(path.join(src, 'templates/CONTRIBUTING.md.ejs'), 'Open an issue before a pull request.\n');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'), 'dir');
  run(process.execPath, ['scripts/write-version.mjs'], src);
  run(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], src);
  run(process.execPath, ['scripts/write-generators.mjs'], src);
  const packDir = mkdtempSync(path.join(tmpdir(), 'twelve-old-pack-'));
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], src);
  const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
  // Where the update path's `npm install generator-twelve-django@<version> --prefix <cache>/<version>` puts it:
  // the tarball extracted there, its dependencies linked from this checkout (the same pinned versions) instead of
  // installed from the registry, which keeps the test offline and fast.
  const modules = path.join(cacheRoot, version, 'node_modules');
  const dir = path.join(modules, 'generator-twelve-django');
  mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], ROOT);
  for (const dep of Object.keys((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies)) {
    mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep), 'dir');
  }
  return dir;
}
