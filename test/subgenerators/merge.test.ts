/** core/merge.ts: what happens to one file when a project changes (base = before, theirs = now, ours = disk). */
import { describe, expect, test } from 'vitest';
import { decide, mergeText } from '../../lib/core/merge.js';

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
