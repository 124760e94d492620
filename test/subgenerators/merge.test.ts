/**
 * core/merge.ts: what happens to one file when a project changes (base = before, theirs = now, ours = disk);
 * core/apply.ts: the same for a whole project tree, held in memory (memfs).
 */
import path from 'node:path';
import { Volume } from 'memfs';
import { describe, expect, test } from 'vitest';
import { resolveAnswers } from '../../core/answers.js';
import { applyRender, type ProjectTree } from '../../core/apply.js';
import { decide, mergeText } from '../../core/merge.js';
import { render } from '../../core/render.js';
import { loadTemplates } from '../../shell/templates.js';

const BASE = 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n';
const THEIRS = 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n'; // the feature appends a line

describe('decide', () => {
  test('disk already right: nothing to write', () => {
    expect(decide(BASE, THEIRS, THEIRS)).toEqual({ kind: 'keep' });
  });
  test('a file the user never touched takes the new content', () => {
    expect(decide(BASE, THEIRS, BASE)).toEqual({ kind: 'write', content: THEIRS });
  });
  test('a file the user never touched and the generator no longer writes is deleted', () => {
    expect(decide(BASE, undefined, BASE)).toEqual({ kind: 'delete' });
  });
  test('a new file is written', () => {
    expect(decide(undefined, THEIRS, undefined)).toEqual({ kind: 'write', content: THEIRS });
  });
  test('a file the generator does not change keeps the user edits', () => {
    expect(decide(BASE, BASE, 'ours\n')).toEqual({ kind: 'keep' });
  });
  test('a file the user deleted and the generator does not change stays deleted, silently', () => {
    expect(decide(BASE, BASE, undefined)).toEqual({ kind: 'keep' });
  });
  test('a file the user deleted and the generator changes is restored and reported', () => {
    const action = decide(BASE, THEIRS, undefined);
    expect(action).toMatchObject({ kind: 'write', content: THEIRS });
    expect(action).toHaveProperty('conflict', expect.stringContaining('you deleted it'));
  });
  test('an edited file the generator no longer writes is kept and reported', () => {
    expect(decide(BASE, undefined, 'a = 0\n')).toEqual({ kind: 'report', conflict: expect.stringContaining('kept') });
  });
  test('an edit away from the generator change merges cleanly', () => {
    expect(decide(BASE, THEIRS, 'a = 100\nb = 2\nc = 3\nd = 4\ne = 5\n')).toEqual({
      kind: 'write',
      content: 'a = 100\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n',
    });
  });
  test('the same change on both sides is no conflict', () => {
    const ours = `a = 0\n${THEIRS.slice(6)}`; // the user edited a and already added f = 6 themselves
    expect(decide(BASE, THEIRS, ours)).toEqual({ kind: 'keep' });
    expect(decide(BASE, THEIRS.replace('c = 3', 'c = 30'), ours)).toEqual({
      kind: 'write',
      content: 'a = 0\nb = 2\nc = 30\nd = 4\ne = 5\nf = 6\n',
    });
  });
  test('an edit on the same lines: standard markers, ours first, and a conflict to report', () => {
    const action = decide(BASE, THEIRS, `${BASE}z = 26\n`);
    expect(action).toEqual({
      kind: 'write',
      content: 'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n<<<<<<< yours\nz = 26\n=======\nf = 6\n>>>>>>> twelve-django\n',
      conflict: expect.stringContaining('resolve the markers'),
    });
  });
  test('a file the user wrote where the generator now writes one: both kept inside markers', () => {
    const action = decide(undefined, 'generated\n', 'hand-written\n');
    expect(action).toEqual({
      kind: 'write',
      content: '<<<<<<< yours\nhand-written\n=======\ngenerated\n>>>>>>> twelve-django\n',
      conflict: expect.any(String),
    });
  });
  test('an empty generated file the user filled, now filled by the generator too: a conflict', () => {
    const action = decide('', 'from .celery import app\n', '# ours\n');
    expect(action).toMatchObject({ kind: 'write', content: '<<<<<<< yours\n# ours\n=======\nfrom .celery import app\n>>>>>>> twelve-django\n' });
  });
  test('a checkout with CRLF line endings merges line by line and keeps CRLF', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    expect(decide(BASE, THEIRS, crlf(BASE))).toEqual({ kind: 'write', content: crlf(THEIRS) });
    expect(decide(BASE, THEIRS, crlf(THEIRS))).toEqual({ kind: 'keep' });
    expect(decide(BASE, THEIRS, crlf(BASE.replace('a = 1', 'a = 0')))).toEqual({ kind: 'write', content: crlf(THEIRS.replace('a = 1', 'a = 0')) });
    expect(decide(BASE, BASE, crlf(BASE))).toEqual({ kind: 'keep' });
  });
});

describe('mergeText', () => {
  test('a last line without a newline still gets markers on lines of their own', () => {
    const result = mergeText('x = 1\ny = ours', 'x = 1\ny = 2\n', 'x = 1\ny = theirs\n');
    expect(result).toEqual({
      conflict: true,
      content: 'x = 1\n<<<<<<< yours\ny = ours\n=======\ny = theirs\n>>>>>>> twelve-django\n',
    });
  });
  test('a clean merge keeps whether the file ends in a newline', () => {
    expect(mergeText('x = 0\ny = 2', 'x = 1\ny = 2', 'x = 1\ny = 2')).toEqual({ conflict: false, content: 'x = 0\ny = 2' });
    expect(mergeText('x = 0\ny = 2\n', 'x = 1\ny = 2\n', 'x = 1\ny = 2\n')).toEqual({ conflict: false, content: 'x = 0\ny = 2\n' });
  });
  test('edits on both sides that are separated by an unchanged line merge; adjacent ones conflict', () => {
    expect(mergeText('A\nb\nc\n', 'a\nb\nc\n', 'a\nb\nC\n')).toEqual({ conflict: false, content: 'A\nb\nC\n' });
    expect(mergeText('A\nb\n', 'a\nb\n', 'a\nB\n').conflict).toBe(true);
  });
  test('lines both sides add alike stay out of the markers', () => {
    const result = mergeText('a\n\n# ours\nx\n', 'a\n', 'a\n\n# theirs\ny\n');
    expect(result).toEqual({ conflict: true, content: 'a\n\n<<<<<<< yours\n# ours\nx\n=======\n# theirs\ny\n>>>>>>> twelve-django\n' });
    expect(mergeText('a\nf\n# ours\n', 'a\n', 'a\nf\n').content).toBe('a\nf\n<<<<<<< yours\n# ours\n=======\n>>>>>>> twelve-django\n');
  });
  test('no edits on either side is the base', () => {
    expect(mergeText(BASE, BASE, BASE)).toEqual({ conflict: false, content: BASE });
  });
});

/**
 * applyRender (core/apply.ts), the loop the shell runs on disk, here onto a project tree held in a memfs volume:
 * a whole project written and changed in memory, the way `twelve-django celery` changes one on disk.
 */
describe('applyRender onto a project tree (in memory)', () => {
  const ROOT = '/work/shop';
  const templates = loadTemplates();
  const renderFor = async (flags: Record<string, unknown>) => render(await resolveAnswers({ projectName: 'shop', ...flags }, { yes: true }), templates);

  /** A ProjectTree over a memfs volume, counting what it writes and removes. */
  function memTree(vol: InstanceType<typeof Volume>) {
    const done = { writes: [] as string[], removes: [] as string[] };
    const tree: ProjectTree = {
      read: (file) => (vol.existsSync(`${ROOT}/${file}`) ? String(vol.readFileSync(`${ROOT}/${file}`, 'utf8')) : undefined),
      write: (file, content, { executable }) => {
        vol.mkdirSync(path.posix.dirname(`${ROOT}/${file}`), { recursive: true });
        vol.writeFileSync(`${ROOT}/${file}`, content);
        vol.chmodSync(`${ROOT}/${file}`, executable ? 0o755 : 0o644);
        done.writes.push(file);
      },
      remove: (file) => {
        vol.unlinkSync(`${ROOT}/${file}`);
        done.removes.push(file);
      },
    };
    return { tree, done };
  }

  /** The volume's files under ROOT, relative path -> content, sorted. */
  function files(vol: InstanceType<typeof Volume>): Map<string, string> {
    const out = Object.entries(vol.toJSON(ROOT)).map(([p, c]) => [path.posix.relative(ROOT, p), String(c)] as const);
    return new Map(out.sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  test('onto an empty tree: exactly the render, scripts executable; a second apply writes nothing', async () => {
    const theirs = await renderFor({});
    const vol = new Volume();
    const { tree, done } = memTree(vol);
    expect(applyRender(new Map(), theirs, tree)).toEqual([]);
    expect(files(vol)).toEqual(theirs);
    const executables = [...theirs.keys()].filter((f) => (vol.statSync(`${ROOT}/${f}`).mode & 0o111) !== 0);
    expect(executables).toEqual([...theirs].filter(([, c]) => c.startsWith('#!')).map(([f]) => f));
    expect(executables).toContain('manage.py');
    done.writes.length = 0;
    expect(applyRender(new Map(), theirs, tree)).toEqual([]);
    expect(done.writes).toEqual([]);
  });

  test('adding a feature: untouched files updated, edits merged or kept, added and deleted files respected, a clash marked and listed', async () => {
    const base = await renderFor({ celery: false });
    const theirs = await renderFor({ celery: true });
    const vol = Volume.fromJSON(Object.fromEntries(base), ROOT);
    const { tree, done } = memTree(vol);
    const pyproject = base.get('pyproject.toml')!;
    // the user's own work since generating
    vol.writeFileSync(`${ROOT}/pyproject.toml`, pyproject.replace('line-length = 88', 'line-length = 100')); // far from Celery's lines
    vol.writeFileSync(`${ROOT}/config/urls.py`, `${base.get('config/urls.py')}# mine\n`); // a file Celery leaves alone
    vol.unlinkSync(`${ROOT}/tests/test_health.py`); // deleted, and Celery leaves it alone
    vol.mkdirSync(`${ROOT}/notes`);
    vol.writeFileSync(`${ROOT}/notes/todo.md`, 'ship it\n'); // a file the generator never wrote
    vol.writeFileSync(`${ROOT}/config/celery.py`, '# my own Celery app\n'); // where Celery now writes one

    const conflicts = applyRender(base, theirs, tree);

    expect(conflicts).toEqual([expect.stringMatching(/^config\/celery\.py: /)]);
    const after = files(vol);
    expect(after.get('config/celery.py')).toBe(`<<<<<<< yours\n# my own Celery app\n=======\n${theirs.get('config/celery.py')}>>>>>>> twelve-django\n`);
    expect(after.get('pyproject.toml')).toBe(theirs.get('pyproject.toml')!.replace('line-length = 88', 'line-length = 100'));
    expect(after.get('config/urls.py')).toBe(`${base.get('config/urls.py')}# mine\n`);
    expect(after.has('tests/test_health.py')).toBe(false);
    expect(after.get('notes/todo.md')).toBe('ship it\n');
    // everything else is what generating with Celery from the start writes
    const mine = ['config/celery.py', 'pyproject.toml', 'config/urls.py', 'tests/test_health.py', 'notes/todo.md'];
    for (const [file, content] of theirs) if (!mine.includes(file)) expect(after.get(file), file).toBe(content);
    expect([...after.keys()].filter((f) => !theirs.has(f))).toEqual(['notes/todo.md']);
    // only what had to change was written
    expect(done.writes.sort()).toEqual([...new Set([...base.keys(), ...theirs.keys()])].filter((f) => base.get(f) !== theirs.get(f)).sort());
    expect(done.removes).toEqual([]);
  });

  test('a file the generator stops writing: removed when untouched, kept and listed when edited', async () => {
    const base = await renderFor({ celery: true });
    const theirs = await renderFor({ celery: false });
    const vol = Volume.fromJSON(Object.fromEntries(base), ROOT);
    const { tree, done } = memTree(vol);
    vol.writeFileSync(`${ROOT}/shop/tasks.py`, `${base.get('shop/tasks.py')}\n\ndef mine():\n    pass\n`);
    const conflicts = applyRender(base, theirs, tree);
    expect(conflicts).toEqual(['shop/tasks.py: you edited it and the generator no longer writes it: kept']);
    expect(done.removes.sort()).toEqual(['config/celery.py', 'tests/test_beat.py', 'tests/test_tasks.py']);
    expect(vol.existsSync(`${ROOT}/config/celery.py`)).toBe(false);
    expect(String(vol.readFileSync(`${ROOT}/shop/tasks.py`, 'utf8'))).toContain('def mine()');
  });
});
