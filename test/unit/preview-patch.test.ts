/** The docs preview's patches, applied by real `git apply`: content, new, deleted and empty files, modes. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileMode } from '../../core/files.js';
import { diffProjects, patchText } from '../../docs/.vitepress/preview/patch.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(files: Map<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'preview-patch-'));
  for (const [p, content] of files) {
    writeFileSync(path.join(root, p), content);
    chmodSync(path.join(root, p), fileMode(content));
  }
  return root;
}

function read(root: string): Map<string, string> {
  return new Map(readdirSync(root).sort().map((p) => [p, `${(statSync(path.join(root, p)).mode & 0o777).toString(8)} ${readFileSync(path.join(root, p), 'utf8')}`]));
}

describe('diffProjects', () => {
  it('gives a patch git apply turns the first tree into the second, modes included', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('');
    const before = new Map([
      ['changed.txt', lines],
      ['gone.txt', 'bye\n'],
      ['script.sh', 'echo plain\n'],
      ['same.txt', 'same\n'],
    ]);
    const after = new Map([
      ['changed.txt', lines.replace('line 3\n', 'line three\n').replace('line 17\n', '')],
      ['empty.py', ''],
      ['new.sh', '#!/bin/sh\necho new\n'],
      ['script.sh', '#!/bin/sh\necho plain\n'],
      ['same.txt', 'same\n'],
    ]);
    const changes = diffProjects(before, after);
    expect(changes.map((c) => [c.path, c.status])).toEqual([
      ['changed.txt', 'changed'],
      ['empty.py', 'added'],
      ['gone.txt', 'removed'],
      ['new.sh', 'added'],
      ['script.sh', 'changed'],
    ]);
    expect(changes.find((c) => c.path === 'script.sh')!.text).toContain('old mode 100644\nnew mode 100755\n');
    dir = write(before);
    const patch = path.join(dir, '..', `${path.basename(dir)}.patch`);
    writeFileSync(patch, patchText(changes));
    execFileSync('git', ['apply', patch], { cwd: dir });
    rmSync(patch);
    expect(read(dir)).toEqual(new Map([...after].map(([p, c]) => [p, `${fileMode(c).toString(8)} ${c}`])));
  });
});
