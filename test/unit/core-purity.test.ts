/**
 * The core runs in the browser (the docs preview), so it must never touch a file system. Here `node:fs` and
 * `fs` are an empty in-memory volume that records every call: render, buildModel and the merge must work and
 * the record must stay empty. (ejs is inlined by vitest.config.ts, so its own `fs` import is this mock too.)
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => [] as string[]);

/** memfs's fs with an empty volume, every function wrapped to record its name. */
async function recordingFs() {
  const { Volume, createFsFromVolume } = await vi.importActual<typeof import('memfs')>('memfs');
  const fs = createFsFromVolume(new Volume()) as unknown as Record<string, unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(fs).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(fs)))) {
    const value = fs[key];
    wrapped[key] =
      typeof value === 'function' && key !== 'constructor'
        ? (...args: unknown[]) => {
            calls.push(`${key}(${String(args[0])})`);
            return (value as (...a: unknown[]) => unknown).apply(fs, args);
          }
        : value;
  }
  return { ...wrapped, default: wrapped };
}

vi.mock('node:fs', recordingFs);
vi.mock('fs', recordingFs);

// The templates are the input, read for real (the browser gets them bundled), before the core runs.
const templates = await loadRealTemplates();

async function loadRealTemplates(): Promise<Record<string, string>> {
  const fs = await vi.importActual<typeof import('node:fs')>('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { join, relative, sep } = await import('node:path');
  const root = fileURLToPath(new URL('../../templates/', import.meta.url));
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ejs')) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(root, full).split(sep).join('/')] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

const { resolveAnswers } = await import('../../core/answers.js');
const { buildModel } = await import('../../core/model.js');
const { render, renderLocalEnv } = await import('../../core/render.js');
const { decide } = await import('../../core/merge.js');
const { applyRender } = await import('../../core/apply.js');

describe('the core never touches a file system', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('the mock is live: a file system call through it is recorded', async () => {
    const fs = await import('node:fs');
    expect(fs.existsSync('/nowhere')).toBe(false);
    expect(calls).toEqual(['existsSync(/nowhere)']);
  });

  it('renders every feature (includes too) with no call', async () => {
    const answers = await resolveAnswers(
      { projectName: 'pure-site', database: 'mysql', cache: 'memcached', celery: true, broker: 'rabbitmq', server: 'granian' },
      { yes: true },
    );
    const files = render(answers, templates);
    // config/settings/base.py includes the settings partials: the path that used to reach the disk.
    expect(files.get('config/settings/base.py')).toContain('CELERY_BROKER_URL');
    expect(renderLocalEnv(answers, templates, 'x'.repeat(64))).toContain('DJANGO_SECRET_KEY=');
    expect(buildModel(answers).features).toContain('celery');
    expect(calls).toEqual([]);
  });

  it('merges and applies a render onto a tree with no call', () => {
    expect(decide('a\nb\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', 'A\nb\nc\nd\ne\n')).toEqual({ kind: 'write', content: 'A\nb\nc\nd\nE\n' });
    // A render applied onto a tree the caller hands in (here a Map) reaches no file system either.
    const tree = new Map([['keep.txt', 'mine\n'], ['old.sh', '#!/bin/sh\n']]);
    const conflicts = applyRender(new Map([['old.sh', '#!/bin/sh\n']]), new Map([['new.sh', '#!/bin/sh\necho\n']]), {
      read: (f) => tree.get(f),
      write: (f, content) => void tree.set(f, content),
      remove: (f) => void tree.delete(f),
    });
    expect(conflicts).toEqual([]);
    expect([...tree.keys()].sort()).toEqual(['keep.txt', 'new.sh']);
    expect(calls).toEqual([]);
  });
});
