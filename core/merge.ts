/**
 * Changing a project that exists: per file, a three-way merge of what the generator wrote
 * before (base), what it writes now (theirs) and what is on disk (ours). Pure, like render.
 */
import { diff3Merge } from 'node-diff3';
import { keyedFormat, mergeKeyed } from './keyed-merge.js';

export type Action =
  /** Disk already holds the right content: write nothing. */
  | { kind: 'keep' }
  | { kind: 'write'; content: string; conflict?: string }
  | { kind: 'delete' }
  /** Leave the user's file as it is, but tell them (the generator wanted to remove it). */
  | { kind: 'report'; conflict: string };

export const LABEL_OURS = 'yours';
export const LABEL_THEIRS = 'twelve-django';

/**
 * What to do with one path. `undefined` means the file is absent in that version. `path` picks the merge:
 * files of keyed entries (Procfile, `.env*`, ignore files) merge entry by entry, the rest line by line.
 */
export function decide(base: string | undefined, theirs: string | undefined, ours: string | undefined, path = ''): Action {
  // A checkout with Windows line endings (git's core.autocrlf) is not an edit of every line:
  // merge on LF, and write the result back with the user's CRLF.
  if (ours !== undefined && ours.includes('\r\n') && !base?.includes('\r\n') && !theirs?.includes('\r\n')) {
    const action = decide(base, theirs, ours.replace(/\r\n/g, '\n'), path);
    return action.kind === 'write' ? { ...action, content: action.content.replace(/\n/g, '\r\n') } : action;
  }
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
  const merged = mergeFile(path, ours, base ?? '', theirs);
  if (merged.content === ours) return { kind: 'keep' };
  return merged.conflict
    ? { kind: 'write', content: merged.content, conflict: 'both you and the generator changed the same lines: resolve the markers' }
    : { kind: 'write', content: merged.content };
}

/** The merge a file gets: by key when its format has keys (and every version parses), else by line. */
export function mergeFile(path: string, ours: string, base: string, theirs: string): { content: string; conflict: boolean } {
  const format = keyedFormat(path);
  return (format && mergeKeyed(ours, base, theirs, format, mergeText)) ?? mergeText(ours, base, theirs);
}

/**
 * Line-based diff3 merge with standard conflict markers. Lines keep their own `\n`, so a file's last
 * line (with or without a newline) merges like any other, and every marker sits on a line of its own.
 */
export function mergeText(ours: string, base: string, theirs: string): { content: string; conflict: boolean } {
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true }) as Region[];
  let content = '';
  let conflict = false;
  for (const region of regions) {
    if (region.ok) {
      content += region.ok.join('');
      continue;
    }
    // Like git: lines both sides agree on at the edges of a conflict are not part of it.
    const { a, b } = region.conflict;
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    content += a.slice(0, head).join('');
    conflict = true;
    content +=
      `<<<<<<< ${LABEL_OURS}\n` +
      closed(a.slice(head, a.length - tail)) +
      '=======\n' +
      closed(b.slice(head, b.length - tail)) +
      `>>>>>>> ${LABEL_THEIRS}\n`;
    content += a.slice(a.length - tail).join('');
  }
  return { content, conflict };
}

type Region = { ok: string[]; conflict?: never } | { ok?: never; conflict: { a: string[]; b: string[] } };

/** `"a\nb"` -> `["a\n", "b"]`: every line with its terminator, the last one without when the text has none. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** One side of a conflict, ending in a newline so the next marker starts its own line. */
function closed(side: string[]): string {
  const text = side.join('');
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
