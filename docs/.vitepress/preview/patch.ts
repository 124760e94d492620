/**
 * A git-style patch between two renders: what `git apply` needs to turn a project generated with the first
 * answers into the second (new and deleted files, content, executable modes). Hunks come from the `diff` package.
 */
import { structuredPatch } from 'diff';
import { fileMode } from '../../../core/files.js';

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  /** The unified diff of this file, git headers included. */
  text: string;
}

const octal = (mode: number) => `100${mode.toString(8)}`;

export function diffProjects(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChange[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: FileChange[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const header = [`diff --git a/${path} b/${path}`];
    let status: FileChange['status'];
    if (a === undefined) {
      status = 'added';
      header.push(`new file mode ${octal(fileMode(b!))}`);
    } else if (b === undefined) {
      status = 'removed';
      header.push(`deleted file mode ${octal(fileMode(a))}`);
    } else {
      status = 'changed';
      if (fileMode(a) !== fileMode(b)) header.push(`old mode ${octal(fileMode(a))}`, `new mode ${octal(fileMode(b))}`);
    }
    const lines = [...header];
    if ((a ?? '') !== (b ?? '')) {
      const patch = structuredPatch(path, path, a ?? '', b ?? '', undefined, undefined, { context: 3 });
      lines.push(a === undefined ? '--- /dev/null' : `--- a/${path}`, b === undefined ? '+++ /dev/null' : `+++ b/${path}`);
      for (const h of patch.hunks) {
        // Like git: a side with no lines is numbered from the line before.
        const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
        const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
        lines.push(`@@ -${oldStart},${h.oldLines} +${newStart},${h.newLines} @@`, ...h.lines);
      }
    }
    out.push({ path, status, text: `${lines.join('\n')}\n` });
  }
  return out;
}

/** The whole patch, for `git apply`. */
export function patchText(changes: readonly FileChange[]): string {
  return changes.map((c) => c.text).join('');
}
