/**
 * The model names no feature: every feature reaches it through the declared contribution fields and hooks, so a
 * new feature is its module, its templates and its tests. Proven with a feature the core has never heard of.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Feature } from '../../core/feature.js';
import { FEATURES } from '../../core/features/index.js';
import { buildModel } from '../../core/model.js';
import { render } from '../../core/render.js';
import { loadTemplates } from '../../shell/templates.js';
import { answersFor } from '../helpers.js';

declare module '../../core/feature.js' {
  interface ModelFacts {
    probe?: { greeting: string; webProcesses?: number };
  }
}

/** A feature of the kind a contributor adds: files (one template to several paths), facts, derived facts, and list data. */
const probe: Feature = {
  id: 'probe',
  applies: (a) => a.celery === false,
  contribute: () => ({
    files: ['probe/plain.txt', ...['a', 'b'].map((n) => ({ path: `probe/${n}.txt`, template: 'probe/__n__.txt', data: { n } }))],
    facts: { probe: { greeting: 'hello' } },
    localState: ['probe-state/'],
    csp: { 'img-src': ['https://cdn.example.com'], 'connect-src': ["'self'"] },
    summary: 'a probe',
  }),
  derive: (m) => ({ probeDerived: m.processes.filter((p) => p.web).length }) as never,
};

describe('features reach the model only through declared hooks', () => {
  it('folds an unknown feature: its files with per-path data, facts, derived facts, local state, CSP sources and summary', async () => {
    const m = buildModel(await answersFor(), [...FEATURES, probe]);
    expect(m.features.at(-1)).toBe('probe');
    expect(m.probe).toEqual({ greeting: 'hello' });
    expect((m as unknown as Record<string, unknown>).probeDerived).toBe(1);
    expect(m.localState).toContain('probe-state/');
    expect(m.csp['img-src']).toContain('https://cdn.example.com');
    expect(m.csp['connect-src']).toEqual(["'self'"]);
    expect(m.summary.at(-1)).toBe('a probe');
    expect(m.files.get('probe/a.txt')).toBe('probe/__n__.txt.ejs');
    expect(m.fileData.get('probe/b.txt')).toEqual({ n: 'b' });
    expect(m.fileFeatures.get('probe/plain.txt')).toBe('probe');
    // Not applicable: none of it.
    const off = buildModel(await answersFor({ celery: true }), [...FEATURES, probe]);
    expect(off.probe).toBeUndefined();
    expect(off.localState).not.toContain('probe-state/');
  });

  it('renders one template to several paths, each with its own data, and a cross-cutting file lists the new state', async () => {
    const templates = { ...loadTemplates(), 'probe/plain.txt.ejs': '<%= m.probe.greeting %>\n', 'probe/__n__.txt.ejs': '<%= m.f.n %>\n' };
    const answers = await answersFor();
    const model = buildModel(answers, [...FEATURES, probe]);
    const files = new Map([...model.files].map(([path, template]) => [path, template]));
    expect(files.size).toBeGreaterThan(3);
    // render() folds the registry; the same fold with the probe, through render's own template function:
    const { renderTemplate } = await import('../../core/render.js');
    expect(renderTemplate('probe/__n__.txt.ejs', model, templates, model.fileData.get('probe/a.txt'))).toBe('a\n');
    expect(renderTemplate('probe/plain.txt.ejs', model, templates)).toBe('hello\n');
    expect(renderTemplate('.gitignore.ejs', model, templates)).toContain('\nprobe-state/\n');
    expect(renderTemplate('.dockerignore.ejs', model, templates)).toContain('\nprobe-state/\n');
    expect(renderTemplate('README.md.ejs', model, templates)).toMatch(/, a probe\.\n/);
    // And the registry's own render is unchanged by all this.
    expect(render(answers, loadTemplates()).has('probe/a.txt')).toBe(false);
  });

  it('refuses two features claiming one fact', async () => {
    const twice: Feature = { id: 'twice', applies: () => true, contribute: () => ({ facts: { probe: { greeting: 'again' } } }) };
    expect(() => buildModel(buildModelAnswers, [...FEATURES, probe, twice])).toThrow('twice: the model already has probe');
  });

  it('core/model.ts imports no single feature and names none', () => {
    const source = readFileSync(new URL('../../core/model.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => i!.startsWith('./features/'))).toEqual(['./features/index.js']);
    // The code, without comments: no identifier or string names a feature.
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const f of FEATURES) expect(code, `core/model.ts names the ${f.id} feature`).not.toMatch(new RegExp(`\\b${f.id}\\b`));
  });
});

const buildModelAnswers = await answersFor();

describe('volumes and scratch paths say which processes write them', () => {
  it('scratch paths keep each declaration and its reason; a volume is one entry with every declaring feature’s writers', async () => {
    const m = buildModel(await answersFor({ celery: true, beat: true, server: 'gunicorn', kubernetes: true }));
    expect(m.writablePaths.map((w) => [w.path, w.processes])).toEqual([
      ['/dev/shm', ['web']],
      ['/tmp', ['beat']],
      ['/tmp', undefined],
    ]);
    expect(m.appVolumes).toEqual([{ name: 'media', path: '/app/media', processes: ['web', 'worker'] }]);
    // Kubernetes mounts /tmp once per pod, with the reasons that concern that process only.
    const why = (p: string) => m.kubernetes!.workloads.find((w) => w.process.name === p)!.volumes.filter((v) => v.path === '/tmp').map((v) => v.why);
    expect(why('web')).toEqual(['temporary files']);
    expect(why('beat')).toEqual([expect.stringMatching(/^Celery beat's schedule state.*; temporary files$/)]);
  });

  it('two features naming processes for one volume give it both', async () => {
    const m0 = await answersFor({});
    const two: Feature[] = [
      { id: 'one', applies: () => true, contribute: () => ({ appVolumes: [{ name: 'state', path: '/state', processes: ['web'] }] }) },
      { id: 'two', applies: () => true, contribute: () => ({ appVolumes: [{ name: 'state', path: '/state', processes: ['worker', 'web'] }] }) },
    ];
    FEATURES.push(...two);
    try {
      expect(buildModel(m0).appVolumes.find((v) => v.name === 'state')).toEqual({ name: 'state', path: '/state', processes: ['web', 'worker'] });
    } finally {
      FEATURES.splice(FEATURES.length - two.length, two.length);
    }
  });
});

describe('every feature has its spec beside it', () => {
  it('core/features/<id>.spec.ts exists for each feature of the registry and runs the shared feature spec', () => {
    for (const f of FEATURES) {
      const spec = readFileSync(new URL(`../../core/features/${f.id}.spec.ts`, import.meta.url), 'utf8');
      expect(spec, `core/features/${f.id}.spec.ts`).toContain(`featureSpec('${f.id}')`);
    }
  });
});
