/**
 * The Procfile platforms' deploy files, as rendered for every platform row of the e2e covering set and a few more
 * option sets: each is valid against the platform's documented keys (schema.ts), lists every variable of the env
 * contract exactly once (or the platform sets it), runs every process exactly once with a stop window that covers it,
 * runs the release where the platform runs one, checks the readiness path on the port the web binds; the README's
 * steps parse as shell a user types and set what the deploy file leaves to the user. A key broken in a copy of each
 * file fails its check.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveAnswers } from '../../core/answers.js';
import { fileMode } from '../../core/files.js';
import { buildModel, type Model } from '../../core/model.js';
import { render } from '../../core/render.js';
import { COMBINATIONS, DJANGO, PYTHON, expectedAnswers } from '../e2e/combinations.js';
import { templates } from '../helpers.js';
import { readmeBlocks } from '../kubernetes/readme.js';
import { checkAppJson, checkBlueprint, checkFlyToml, parseToml } from './schema.js';

type Flags = Record<string, unknown>;
const EXTRA: Flags[] = [
  { database: 'postgres', cache: 'redis', celery: true, broker: 'redis', beat: true, server: 'gunicorn' },
  { database: 'mysql', cache: 'memcached', celery: true, broker: 'rabbitmq', beat: false, server: 'granian', whitenoise: false },
  { database: 'postgres', cache: 'none', celery: false, server: 'uvicorn' },
];
const PLATFORMS = ['heroku', 'render', 'fly'] as const;

interface Case {
  name: string;
  model: Model;
  files: Map<string, string>;
}

async function project(name: string, flags: Flags): Promise<Case> {
  const answers = await resolveAnswers({ projectName: 'shop', python: PYTHON, django: DJANGO, ...flags }, { yes: true });
  return { name, model: buildModel(answers), files: render(answers, templates) };
}

const cases: { name: string; flags: Flags }[] = [
  ...COMBINATIONS.filter((c) => c.platform !== 'none').map((c) => ({ name: c.name, flags: expectedAnswers(c) })),
  ...PLATFORMS.flatMap((platform) => EXTRA.map((f, i) => ({ name: `${platform}-extra${i + 1}`, flags: { ...f, platform } }))),
];

/** Each name once: the duplicates and the difference from what is wanted. */
function exactlyOnce(listed: readonly string[], want: readonly string[]): { duplicates: string[]; missing: string[]; extra: string[] } {
  return {
    duplicates: listed.filter((n, i) => listed.indexOf(n) !== i),
    missing: want.filter((n) => !listed.includes(n)),
    extra: listed.filter((n) => !want.includes(n)),
  };
}
const none = { duplicates: [], missing: [], extra: [] };
/** Seconds a process needs between SIGTERM and exit on a platform whose window is `window`. */
const needs = (m: Model, name: string, window: number) => {
  const p = m.processes.find((x) => x.name === name)!;
  return p.stopSeconds! <= window ? p.stopSeconds! : p.shortStop!.stopSeconds;
};
const longRunning = (m: Model) => m.processes.filter((p) => !p.oneOff);
const contract = (m: Model) => m.env.map((v) => v.name);

describe('Procfile platforms: the deploy files against the documented keys and the model', () => {
  it.for(cases.filter((c) => c.flags.platform === 'heroku').map((c) => c.name))('heroku %s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    const p = await project(name, c.flags);
    const h = p.model.heroku!;
    const app = JSON.parse(p.files.get('app.json')!);
    expect(checkAppJson(app)).toEqual([]);
    // Every variable once: a config var in env, an add-on's attachment, or set by Heroku; plus the buildpack's switch
    // and what a process needs to stop within 30 s.
    const attached = app.addons.map((a: { as: string }) => `${a.as}_URL`);
    const provided = Object.keys(h.target.provides(p.model));
    const own = [...h.buildSettings.map((s) => s.name), ...h.stopEnv.map((s) => s.name)];
    expect(exactlyOnce([...Object.keys(app.env), ...attached, ...provided], [...contract(p.model), ...own])).toEqual(none);
    expect(app.env.DJANGO_SECRET_KEY).toMatchObject({ generator: 'secret' });
    // Each long-running process once in the formation; beat never scaled past one.
    expect(Object.keys(app.formation).sort()).toEqual(longRunning(p.model).map((x) => x.name).sort());
    // The Procfile is what Heroku runs: the release phase and each process type, once.
    const procfile = p.files.get('Procfile')!.trim().split('\n').map((l) => l.split(':')[0]);
    expect(procfile).toEqual(p.model.processes.map((x) => x.name));
    expect(procfile[0]).toBe('release');
    // Heroku kills 30 s after SIGTERM: every process stops within it.
    for (const x of longRunning(p.model)) expect(needs(p.model, x.name, 30) + (x.stopSeconds! > 30 ? p.model.timeouts.stopMargin : 0), x.name).toBeLessThanOrEqual(30);
    for (const e of h.stopEnv) expect(app.env[e.name].value).toBe(e.value);
    // The buildpack's hook is the build step; its own collectstatic is off.
    expect(p.files.get('bin/post_compile')).toMatch(/^#!.*\n(#.*\n)*set -euo pipefail\n\.\/build\.sh\n$/);
    expect(fileMode(p.files.get('bin/post_compile')!)).toBe(0o755);
    expect(app.env.DISABLE_COLLECTSTATIC.value).toBe('1');
    // The buildpack needs uv.lock's Python in .python-version.
    expect(p.files.get('.python-version')!.trim()).toBe(PYTHON);
    // The README's steps: shell a user types, Heroku's and git's commands only, the add-ons and config of app.json.
    const blocks = readmeBlocks(p.files.get('README.md')!, h.readme.section);
    const commands = blocks.flatMap((b) => b.lists.flatMap((l) => [l.first, ...l.rest.map((r) => r.argv)]));
    for (const argv of commands) expect(['heroku', 'git'], argv.join(' ')).toContain(argv[0]);
    const addons = commands.filter((a) => a[1] === 'addons:create').map((a) => `${a[a.indexOf('--as') + 1]}_URL`);
    expect(addons.sort()).toEqual([...attached].sort());
    const set = commands.filter((a) => a[1] === 'config:set').flatMap((a) => a.slice(2).filter((w) => w.includes('=')).map((w) => w.split('=')[0]!));
    const mustSet = Object.entries(app.env as Record<string, { value?: string; generator?: string; required?: boolean; description: string }>)
      .filter(([, e]) => e.value !== undefined || e.generator !== undefined || (e.required && !/the same server as/.test(e.description)))
      .map(([k]) => k);
    expect(exactlyOnce(set, mustSet)).toEqual(none);
  });

  it.for(cases.filter((c) => c.flags.platform === 'render').map((c) => c.name))('render %s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    const p = await project(name, c.flags);
    const r = p.model.render!;
    const doc = parseYaml(p.files.get('render.yaml')!);
    expect(checkBlueprint(doc)).toEqual([]);
    const services = doc.services.filter((s: { type: string }) => s.type !== 'keyvalue');
    const groups = new Map<string, { key: string }[]>(doc.envVarGroups.map((g: { name: string; envVars: { key: string }[] }) => [g.name, g.envVars]));
    const names = new Set([...doc.services.map((s: { name: string }) => s.name), ...(doc.databases ?? []).map((d: { name: string }) => d.name)]);
    // Each long-running process exactly once, built from the Dockerfile, started with its Procfile command.
    expect(services.map((s: { dockerCommand: string }) => s.dockerCommand).sort()).toEqual(longRunning(p.model).map((x) => x.command.join(' ')).sort());
    for (const s of services) {
      const proc = longRunning(p.model).find((x) => x.command.join(' ') === s.dockerCommand)!;
      expect(s.runtime).toBe('docker');
      expect(s.dockerfilePath).toBe('./Dockerfile');
      // Every variable once per service: its entries and its group's, or set by Render (PORT).
      const vars = s.envVars.flatMap((e: { key?: string; fromGroup?: string }) => (e.fromGroup ? groups.get(e.fromGroup)!.map((g) => g.key) : [e.key!]));
      const own = Object.keys(r.processes.find((x) => x.process.name === proc.name)!.env);
      expect(exactlyOnce([...vars, ...Object.keys(r.target.provides(p.model))], [...contract(p.model), ...own]), s.name).toEqual(none);
      for (const e of s.envVars) {
        const ref = e.fromDatabase?.name ?? e.fromService?.name;
        if (ref) expect(names.has(ref), `${s.name}: ${e.key} names ${ref}`).toBe(true);
      }
      // SIGKILL after maxShutdownDelaySeconds: at least what the process needs (its short stop past Render's 300 s).
      expect(s.maxShutdownDelaySeconds, s.name).toBeGreaterThanOrEqual(needs(p.model, proc.name, 300));
      if (proc.web) {
        expect(s.type).toBe('web');
        expect(s.preDeployCommand).toBe(p.model.processes.find((x) => x.oneOff)!.command.join(' '));
        expect(s.healthCheckPath).toBe(p.model.probes.readiness);
      } else {
        expect(s.type).toBe('worker');
        expect(s.preDeployCommand).toBeUndefined();
      }
      if (proc.singleton) expect(s.numInstances).toBe(1);
    }
    // A generated secret is generated once, in the group every service reads: one key for all of them.
    const generated = p.model.env.filter((v) => v.generated).map((v) => v.name);
    for (const g of generated) expect(doc.envVarGroups.flatMap((x: { envVars: { key: string; generateValue?: boolean }[] }) => x.envVars).filter((e: { key: string; generateValue?: boolean }) => e.key === g && e.generateValue)).toHaveLength(1);
    // A Key Value instance per attached Redis instance: a cache may evict, a broker must not.
    for (const kv of doc.services.filter((s: { type: string }) => s.type === 'keyvalue')) {
      const users = p.model.env.filter((v) => `${p.model.dnsName}-${v.attaches?.instance}` === kv.name);
      expect(users.length, kv.name).toBeGreaterThan(0);
      expect(kv.maxmemoryPolicy).toBe(users.every((v) => v.attaches!.evicts) ? 'allkeys-lru' : 'noeviction');
    }
    const blocks = readmeBlocks(p.files.get('README.md')!, r.readme.section);
    for (const argv of blocks.flatMap((b) => b.lists.map((l) => l.first))) expect(['render', 'git'], argv.join(' ')).toContain(argv[0]);
  });

  it.for(cases.filter((c) => c.flags.platform === 'fly').map((c) => c.name))('fly %s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    const p = await project(name, c.flags);
    const f = p.model.fly!;
    const doc = parseToml(p.files.get('fly.toml')!) as Record<string, any>;
    expect(checkFlyToml(doc)).toEqual([]);
    expect(doc.build.dockerfile).toBe('Dockerfile');
    expect(doc.deploy.release_command).toBe(p.model.processes.find((x) => x.oneOff)!.command.join(' '));
    // Each long-running process exactly once, as its Procfile command.
    expect(doc.processes).toEqual(Object.fromEntries(longRunning(p.model).map((x) => [x.name, x.command.join(' ')])));
    // The HTTP service routes to web on the port [env] gives it, and checks readiness there.
    expect(doc.http_service.processes).toEqual([p.model.web.name]);
    expect(String(doc.http_service.internal_port)).toBe(doc.env.PORT);
    expect(doc.http_service.checks.map((x: { path: string }) => x.path)).toEqual([p.model.probes.readiness]);
    // One kill timeout for the app: at least what every process needs.
    for (const x of longRunning(p.model)) expect(doc.kill_timeout, x.name).toBeGreaterThanOrEqual(needs(p.model, x.name, 300));
    expect(doc.kill_signal).toBe('SIGTERM');
    // Every variable once: committed in [env], a secret the README sets (or lists as optional), or set by attaching Postgres.
    const readme = p.files.get('README.md')!;
    const blocks = readmeBlocks(readme, f.readme.section);
    const commands = blocks.flatMap((b) => b.lists.flatMap((l) => [l.first, ...l.rest.map((r) => r.argv)]));
    for (const argv of commands) expect(['fly'], argv.join(' ')).toContain(argv[0]);
    const secrets = commands.filter((a) => a[1] === 'secrets' && a[2] === 'set').flatMap((a) => a.filter((w) => /^[A-Z][A-Z0-9_]*=/.test(w)).map((w) => w.split('=')[0]!));
    const optional = /Optional secrets, when you need them: (.*) \(/.exec(readme)?.[1]?.match(/`([A-Z0-9_]+)`/g)?.map((s) => s.slice(1, -1)) ?? [];
    const attached = commands.some((a) => a[1] === 'postgres' && a[2] === 'attach') ? f.services.flatMap((s) => s.vars) : [];
    const stop = f.stopEnv.map((e) => e.name);
    expect(exactlyOnce([...Object.keys(doc.env), ...secrets, ...optional, ...attached], [...contract(p.model), ...stop])).toEqual(none);
  });
});

describe('a broken key fails the documented-keys checks', () => {
  it('app.json', async () => {
    const p = await project('x', { platform: 'heroku', celery: true, broker: 'redis' });
    const good = JSON.parse(p.files.get('app.json')!);
    expect(checkAppJson(good)).toEqual([]);
    expect(checkAppJson({ ...good, addon: good.addons })).toEqual([expect.stringContaining('unknown key "addon"')]);
    expect(checkAppJson({ ...good, env: { ...good.env, DJANGO_DEBUG: { value: false } } })).toEqual([expect.stringContaining('want a string')]);
    expect(checkAppJson({ ...good, formation: { web: { quantity: 1, size: 'huge' } } })).toEqual([expect.stringContaining('"huge" is not one of')]);
    expect(checkAppJson({ ...good, env: { ...good.env, DJANGO_SECRET_KEY: { generator: 'random' } } })).toEqual([expect.stringContaining('generator')]);
  });

  it('render.yaml', async () => {
    const p = await project('x', { platform: 'render', celery: true, broker: 'redis', beat: true });
    const text = p.files.get('render.yaml')!;
    expect(checkBlueprint(parseYaml(text))).toEqual([]);
    expect(checkBlueprint(parseYaml(text.replace('healthCheckPath:', 'healthcheckPath:')))).toEqual([expect.stringContaining('unknown key "healthcheckPath"')]);
    expect(checkBlueprint(parseYaml(text.replace('maxShutdownDelaySeconds: 30', 'maxShutdownDelaySeconds: 305')))).toEqual(expect.arrayContaining([expect.stringContaining('from 1 to 300')]));
    expect(checkBlueprint(parseYaml(text.replace('maxmemoryPolicy: noeviction', 'maxmemoryPolicy: no-eviction')))).toEqual([expect.stringContaining('"no-eviction" is not one of')]);
    expect(checkBlueprint(parseYaml(text.replace('value: "3600"', 'value: 3600')))).toEqual([expect.stringContaining('want a string')]);
  });

  it('fly.toml', async () => {
    const p = await project('x', { platform: 'fly', celery: true, broker: 'redis', beat: true });
    const text = p.files.get('fly.toml')!;
    expect(checkFlyToml(parseToml(text))).toEqual([]);
    expect(checkFlyToml(parseToml(text.replace('release_command =', 'release-command =')))).toEqual([expect.stringContaining('unknown key "release-command"')]);
    expect(checkFlyToml(parseToml(text.replace('kill_timeout = 30', 'kill_timeout = 3000')))).toEqual([expect.stringContaining('from 1 to 300')]);
    expect(checkFlyToml(parseToml(text.replace('processes = ["web"]', 'processes = ["app"]')))).toEqual([expect.stringContaining('"app" is no process group')]);
    expect(checkFlyToml(parseToml(text.replace('interval = "15s"', 'interval = 15')))).toEqual([expect.stringContaining('duration')]);
  });
});

describe('the platform answer', () => {
  it('SQLite is refused on every platform, in one line naming what is allowed', async () => {
    for (const platform of PLATFORMS) {
      await expect(resolveAnswers({ projectName: 'shop', database: 'sqlite', platform }, { yes: true })).rejects.toThrow(/--platform .* needs --database postgres or mysql/);
    }
  });
  it('none writes no deploy file', async () => {
    const p = await project('x', {});
    for (const f of ['app.json', 'bin/post_compile', 'render.yaml', 'fly.toml']) expect(p.files.has(f), f).toBe(false);
  });
});
