/**
 * package-lock.json installs with `npm ci` on every platform. `npm ci` refuses a lock that lacks any package the
 * tree asks for, and the native builds (esbuild's, rolldown's, lightningcss's, TypeScript's) are optional
 * dependencies, one per platform: a lock rewritten over an existing node_modules can lose the other platforms'
 * (npm/cli#4828), and then `npm ci` fails everywhere ("Missing: @rollup/rollup-android-arm-eabi from lock file").
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, test } from 'vitest';

interface LockEntry {
  name?: string;
  version?: string;
  os?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  /** Other ranges the package declares it works with (npm accepts them as well). */
  acceptDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
}

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as unknown;
const pkg = read('package.json') as LockEntry;
const lock = read('package-lock.json') as { lockfileVersion: number; packages: Record<string, LockEntry> };
const { packages } = lock;

/** Where Node and npm find `name` from the package at `at`: its own node_modules, then each parent's, up to the root. */
function locate(at: string, name: string): string | undefined {
  for (let dir = at; ; ) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent === -1 ? '' : dir.slice(0, parent);
  }
}

/** The root's overrides: every edge to the package, anywhere in the tree, asks for the override's spec instead. */
const overrides = Object.entries(pkg.overrides ?? {}).map(([name, spec]) => {
  if (typeof spec !== 'string') throw new Error(`overrides.${name}: only \`"name": "spec"\` overrides are read here`);
  return [name, spec] as const;
});
const overridden = new Map(overrides);

/** Does the locked `entry` meet `spec`, a range or an alias (`npm:other@range`, which must install `other`)? */
function meets(entry: LockEntry, name: string, spec: string): boolean {
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(spec);
  const range = alias ? alias[2]! : spec;
  if (!semver.validRange(range)) throw new Error(`${name}@${spec}: not a version range this check reads`);
  if (alias && (entry.name ?? name) !== alias[1]) return false;
  return semver.satisfies(entry.version ?? '', range, { includePrerelease: true });
}

/** What is wrong with the edge `at` -> `name@spec`, or undefined when the lock satisfies it. */
function problem(at: string, name: string, declared: string, accepted?: string): string | undefined {
  const spec = (at === '' ? undefined : overridden.get(name)) ?? declared;
  const from = at === '' ? 'the root' : at;
  const found = locate(at, name);
  if (!found) return `${from} needs ${name}@${spec}: not in the lock`;
  const entry = packages[found]!;
  if (meets(entry, name, spec) || (accepted !== undefined && meets(entry, name, accepted))) return undefined;
  return `${from} needs ${name}@${spec}: the lock has ${entry.name ?? name}@${entry.version}`;
}

describe('package-lock.json', () => {
  test('is lockfile version 3 and its root is package.json', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = packages['']!;
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) expect(root[field], field).toEqual(pkg[field]);
  });

  test('holds every package that every locked package depends on, at a version it accepts, whatever the platform', () => {
    const problems: string[] = [];
    let edges = 0;
    for (const [at, entry] of Object.entries(packages)) {
      const wanted = { ...entry.dependencies, ...entry.optionalDependencies, ...(at === '' ? entry.devDependencies : {}) };
      for (const [name, spec] of Object.entries(entry.peerDependencies ?? {})) {
        if (!entry.peerDependenciesMeta?.[name]?.optional) wanted[name] ??= spec;
      }
      for (const [name, spec] of Object.entries(wanted)) {
        edges += 1;
        const wrong = problem(at, name, spec, entry.acceptDependencies?.[name]);
        if (wrong) problems.push(wrong);
      }
    }
    expect(problems).toEqual([]);
    expect(edges).toBeGreaterThan(500);
  });

  test('the native builds are there for the platforms contributors use, not only for this one', () => {
    const platforms = new Set(Object.values(packages).flatMap((entry) => entry.os ?? []));
    expect([...platforms]).toEqual(expect.arrayContaining(['darwin', 'linux', 'win32']));
  });
});
