/**
 * Three-way merge for files made of keyed entries: a Procfile (process type), `.env` files (variable name),
 * ignore files (the pattern), Python settings modules (what each top-level statement assigns: keyed-python.ts),
 * pyproject.toml (each key, and each dependency by its package: keyed-toml.ts). Users append to these files, and
 * so does the generator: a line-based merge calls two appends at the end of the file a conflict. Here each entry
 * (its line or statement plus the comment block right above it) merges on its own, so additions with different keys on both sides are both kept; only the
 * same entry changed differently on both sides is a conflict, with standard markers around that entry.
 * Pure, like merge.ts.
 */
import { pythonUnits } from './keyed-python.js';
import { tomlUnits } from './keyed-toml.js';

/**
 * A piece of a file as a format sees it: an entry's own text with its key, or text between entries (comments,
 * blank lines) without one. `group` and `order`: the entry belongs to a list kept sorted by `order` (a dependency
 * array), where an entry the generator adds goes to its sorted place when the user's list is sorted.
 */
export interface Unit {
  text: string;
  key?: string;
  group?: string;
  order?: string;
}

/** How the entries of a file are recognised. */
export interface KeyedFormat {
  name: string;
  /** The file as units, in order; undefined when it cannot be keyed safely (the caller merges by line). */
  units(text: string): Unit[] | undefined;
}

/** A format whose entries are single lines (the rest is comments and blank lines). */
function lineFormat(name: string, key: (line: string) => string | undefined): KeyedFormat {
  return {
    name,
    units: (text) => (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((line) => ({ text: line, key: key(line.replace(/\n$/, '')) })),
  };
}

const PROCFILE = lineFormat('Procfile', (line) => /^([A-Za-z0-9_-]+)\s*:/.exec(line)?.[1]);
const DOTENV = lineFormat('dotenv', (line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line)?.[1]);
const IGNORE = lineFormat('ignore file', (line) => (/^\s*(#|$)/.test(line) ? undefined : line.replace(/\s+$/, '')));
const PYTHON_SETTINGS: KeyedFormat = { name: 'Python settings module', units: pythonUnits };
const PYPROJECT: KeyedFormat = { name: 'pyproject.toml', units: tomlUnits };

/** The one table: which kind of file merges by which keys, by its path. The first match wins. */
const FORMATS: ReadonlyArray<readonly [(path: string, name: string) => boolean, KeyedFormat]> = [
  [(_, name) => name === 'Procfile', PROCFILE],
  [(_, name) => name === '.env' || name.startsWith('.env.'), DOTENV],
  [(_, name) => name === '.gitignore' || name === '.dockerignore', IGNORE],
  [(path) => /^config\/settings\/[^/]+\.py$/.test(path), PYTHON_SETTINGS],
  [(path) => path === 'pyproject.toml', PYPROJECT],
];

/** The keyed format of a generated file, by its path; undefined means a plain line-based merge. */
export function keyedFormat(path: string): KeyedFormat | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return FORMATS.find(([matches]) => matches(path, name))?.[1];
}

export interface Entry {
  key: string;
  /** The comment block (and blank lines) above the entry. */
  comments: string;
  /** The entry itself: a line, or a statement over several lines. */
  body: string;
  group?: string;
  order?: string;
}

interface Parsed {
  /** Text before the first entry's comment block: the file's header. */
  head: string;
  entries: Entry[];
  /** Text after the last entry. */
  tail: string;
}

const BLANK = /^\s*$/;
const MARKER = /^(<<<<<<<|=======|>>>>>>>)( |\n|$)/m;

/** Split a file into head, entries and tail; undefined when it cannot be keyed safely (a key twice, markers). */
export function parseKeyed(text: string, format: KeyedFormat): Parsed | undefined {
  if (MARKER.test(text)) return undefined;
  const units = format.units(text);
  if (!units) return undefined;
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let head = '';
  let pending: string[] = [];
  for (const unit of units) {
    if (unit.key === undefined) {
      pending.push(unit.text);
      continue;
    }
    if (seen.has(unit.key)) return undefined;
    seen.add(unit.key);
    if (entries.length === 0) {
      // The file's header is everything above the first entry's own block: its last run of blank lines
      // and the comments right below them. Without a blank line, the comments above are the header.
      let start = pending.length;
      while (start > 0 && !BLANK.test(pending[start - 1]!)) start--;
      while (start > 0 && BLANK.test(pending[start - 1]!)) start--;
      if (start === 0 && !pending.some((l) => BLANK.test(l))) start = pending.length;
      head = pending.slice(0, start).join('');
      pending = pending.slice(start);
    }
    entries.push({ key: unit.key, comments: pending.join(''), body: unit.text, ...(unit.group ? { group: unit.group, order: unit.order } : {}) });
    pending = [];
  }
  return { head: entries.length === 0 ? '' : head, entries, tail: entries.length === 0 ? text : pending.join('') };
}

type TextMerge = (ours: string, base: string, theirs: string) => { content: string; conflict: boolean };

/**
 * Merge by key, or undefined when a version cannot be keyed (the caller falls back to a line merge).
 * Order: the user's file as it is; an entry only the generator adds goes right after the entry it follows
 * in the generator's file (at the top when it is the first), so both sides' additions keep a stable place.
 */
export function mergeKeyed(
  ours: string,
  base: string,
  theirs: string,
  format: KeyedFormat,
  mergeText: TextMerge,
): { content: string; conflict: boolean } | undefined {
  const [o, b, t] = [parseKeyed(ours, format), parseKeyed(base, format), parseKeyed(theirs, format)];
  if (!o || !b || !t) return undefined;
  const text = (e: Entry) => e.comments + e.body;
  const ob = new Map(o.entries.map((e) => [e.key, e]));
  const bb = new Map(b.entries.map((e) => [e.key, e]));
  const tb = new Map(t.entries.map((e) => [e.key, e]));
  let conflict = false;
  const merge = (x: string, y: string, z: string): string => {
    const result = mergeText(x, y, z);
    conflict ||= result.conflict;
    return result.content;
  };

  /** One key's merged text ('' when it goes away). */
  const entry = (key: string): string => {
    const [m, w, g] = [ob.get(key), bb.get(key), tb.get(key)];
    const [mine, was, gen] = [m && text(m), w && text(w), g && text(g)];
    if (mine === gen) return mine ?? '';
    if (mine === was) return gen ?? '';
    if (gen === was) return mine ?? '';
    // Both changed it differently (or one removed what the other changed). When all three have it, its comment
    // block and its body merge apart: a new comment from the generator and the user's value are no conflict.
    if (m && w && g) return merge(m.comments, w.comments, g.comments) + merge(m.body, w.body, g.body);
    return merge(mine ?? '', was ?? '', gen ?? '');
  };

  const order: string[] = [];
  for (const e of o.entries) order.push(e.key);
  const placed = new Set(order);
  let after: string | undefined;
  for (const e of t.entries) {
    if (!placed.has(e.key) && !bb.has(e.key)) {
      // New from the generator: at its place in a sorted list of the user's, else right after its predecessor
      // in the generator's file.
      const at = sortedPlace(e, order, (key) => ob.get(key) ?? tb.get(key)) ?? (after === undefined ? 0 : order.indexOf(after) + 1);
      order.splice(at, 0, e.key);
      placed.add(e.key);
    }
    if (placed.has(e.key)) after = e.key;
  }
  // Entries the user removed that the generator changed come back where the generator has them (as a conflict).
  for (const e of t.entries) {
    const was = bb.get(e.key);
    if (!placed.has(e.key) && (!was || text(was) !== text(e))) {
      const prev = t.entries[t.entries.indexOf(e) - 1]?.key;
      order.splice(prev === undefined || !placed.has(prev) ? order.length : order.indexOf(prev) + 1, 0, e.key);
      placed.add(e.key);
    }
  }

  let content = merge(o.head, b.head, t.head);
  for (const key of order) content += closedEntry(entry(key), content);
  content += merge(o.tail, b.tail, t.tail);
  return { content, conflict };
}

/**
 * Where a new entry of a sorted group goes among the user's entries: before the first of its group that sorts after
 * it, or right after the group's last. Undefined when it has no group, or the user's entries of it are not sorted.
 */
function sortedPlace(entry: Entry, order: readonly string[], placed: (key: string) => Entry | undefined): number | undefined {
  if (entry.group === undefined || entry.order === undefined) return undefined;
  const members = order.map((key, at) => ({ at, e: placed(key) })).filter((x) => x.e?.group === entry.group);
  if (!members.length || members.some((x, i) => i > 0 && members[i - 1]!.e!.order! > x.e!.order!)) return undefined;
  const next = members.find((x) => x.e!.order! > entry.order!);
  return next ? next.at : members.at(-1)!.at + 1;
}

/** An entry after text that does not end in a newline (the user's last line had none) starts its own line. */
function closedEntry(text: string, before: string): string {
  return text !== '' && before !== '' && !before.endsWith('\n') ? `\n${text}` : text;
}
