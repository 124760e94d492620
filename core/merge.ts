/**
 * Changing a project that exists: per file, a three-way merge of what the generator wrote
 * before (base), what it writes now (theirs) and what is on disk (ours). Pure, like render.
 */
import { merge } from 'node-diff3';

export type Action =
  /** Disk already holds the right content: write nothing. */
  | { kind: 'keep' }
  | { kind: 'write'; content: string; conflict?: string }
  | { kind: 'delete' }
  /** Leave the user's file as it is, but tell them (the generator wanted to remove it). */
  | { kind: 'report'; conflict: string };

export const LABEL_OURS = 'yours';
export const LABEL_THEIRS = 'twelve-django';

/** What to do with one path. `undefined` means the file is absent in that version. */
export function decide(base: string | undefined, theirs: string | undefined, ours: string | undefined): Action {
  if (ours === theirs) return { kind: 'keep' };
  if (ours === undefined) {
    if (base === undefined) return { kind: 'write', content: theirs! };
    if (theirs === base || theirs === undefined) return { kind: 'keep' }; // the user deleted it; respect that
    return { kind: 'write', content: theirs, conflict: 'you deleted it and the generator changed it: restored' };
  }
  if (ours === base) return theirs === undefined ? { kind: 'delete' } : { kind: 'write', content: theirs };
  // The user edited (or added) this file.
  if (theirs === base) return { kind: 'keep' };
  if (theirs === undefined) return { kind: 'report', conflict: 'you edited it and the generator no longer writes it: kept' };
  const merged = mergeText(ours, base ?? '', theirs);
  if (merged.content === ours) return { kind: 'keep' };
  return merged.conflict
    ? { kind: 'write', content: merged.content, conflict: 'both you and the generator changed the same lines: resolve the markers' }
    : { kind: 'write', content: merged.content };
}

/** Line-based diff3 merge with standard conflict markers. */
export function mergeText(ours: string, base: string, theirs: string): { content: string; conflict: boolean } {
  const result = merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), {
    excludeFalseConflicts: true,
    label: { a: LABEL_OURS, b: LABEL_THEIRS },
  });
  return { content: result.result.join('\n'), conflict: result.conflict };
}
