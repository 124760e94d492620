/**
 * A render applied onto a project tree: for every path either version holds, the three-way decision of
 * merge.ts (base = what the generator wrote before, theirs = what it writes now, ours = the tree), carried
 * out through the tree's own read/write/remove. Pure: the tree is whatever the caller hands in (Yeoman's
 * file system on disk in the shell, an in-memory volume in the tests, a page in the browser).
 */
import { isExecutable } from './files.js';
import { decide } from './merge.js';

export interface ProjectTree {
  /** The file's content, or undefined when it is absent. */
  read(file: string): string | undefined;
  /** `existed`: the file was there before (the merge already kept the user's lines in `content`). */
  write(file: string, content: string, options: { executable: boolean; existed: boolean }): void;
  remove(file: string): void;
}

/** Applies `theirs` over `base` onto `tree`; returns what needs the user's attention, one line per file. */
export function applyRender(base: ReadonlyMap<string, string>, theirs: ReadonlyMap<string, string>, tree: ProjectTree): string[] {
  const conflicts: string[] = [];
  for (const file of new Set([...base.keys(), ...theirs.keys()])) {
    const ours = tree.read(file);
    // The path picks the merge: files of keyed entries merge by key (core/keyed-merge.ts).
    const action = decide(base.get(file), theirs.get(file), ours, file);
    if (action.kind === 'write') tree.write(file, action.content, { executable: isExecutable(action.content), existed: ours !== undefined });
    else if (action.kind === 'delete') tree.remove(file);
    if ('conflict' in action && action.conflict) conflicts.push(`${file}: ${action.conflict}`);
  }
  return conflicts;
}
