/**
 * Three-way merge for files made of keyed entries: a Procfile (process type), `.env` files (variable name),
 * ignore files (the pattern). Users append to these files, and so does the generator: a line-based merge
 * calls two appends at the end of the file a conflict. Here each entry (its key line plus the comment block
 * right above it) merges on its own, so additions with different keys on both sides are both kept; only the
 * same entry changed differently on both sides is a conflict, with standard markers around that entry.
 * Pure, like merge.ts.
 */

/** How the entries of a file are recognised. */
export interface KeyedFormat {
  name: string;
  /** The key of an entry line, or undefined when the line is not one (comment, blank, anything else). */
  key(line: string): string | undefined;
}

const PROCFILE: KeyedFormat = { name: 'Procfile', key: (line) => /^([A-Za-z0-9_-]+)\s*:/.exec(line)?.[1] };
const DOTENV: KeyedFormat = { name: 'dotenv', key: (line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/.exec(line)?.[1] };
const IGNORE: KeyedFormat = {
  name: 'ignore file',
  key: (line) => (/^\s*(#|$)/.test(line) ? undefined : line.replace(/\s+$/, '')),
};

/** The keyed format of a generated file, by its path; undefined means a plain line-based merge. */
export function keyedFormat(path: string): KeyedFormat | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'Procfile') return PROCFILE;
  if (name === '.env' || name.startsWith('.env.')) return DOTENV;
  if (name === '.gitignore' || name === '.dockerignore') return IGNORE;
  return undefined;
}

interface Entry {
  key: string;
  /** The comment block (and blank lines) above the key line, then the key line itself. */
  text: string;
}

interface Parsed {
  /** Text before the first entry's comment block: the file's header. */
  head: string;
  entries: Entry[];
  /** Text after the last key line. */
  tail: string;
}

const BLANK = /^\s*\n?$/;

/** Split a file into head, entries and tail; undefined when it cannot be keyed safely (a key twice, markers). */
export function parseKeyed(text: string, format: KeyedFormat): Parsed | undefined {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let head = '';
  let pending: string[] = [];
  for (const line of lines) {
    if (/^(<<<<<<<|=======|>>>>>>>)( |\n|$)/.test(line)) return undefined;
    const key = format.key(line.replace(/\n$/, ''));
    if (key === undefined) {
      pending.push(line);
      continue;
    }
    if (seen.has(key)) return undefined;
    seen.add(key);
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
    entries.push({ key, text: pending.join('') + line });
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
  const ob = new Map(o.entries.map((e) => [e.key, e.text]));
  const bb = new Map(b.entries.map((e) => [e.key, e.text]));
  const tb = new Map(t.entries.map((e) => [e.key, e.text]));
  let conflict = false;
  const merge = (x: string, y: string, z: string): string => {
    const result = mergeText(x, y, z);
    conflict ||= result.conflict;
    return result.content;
  };

  /** One key's merged text ('' when it goes away). */
  const entry = (key: string): string => {
    const [mine, was, gen] = [ob.get(key), bb.get(key), tb.get(key)];
    if (mine === gen) return mine ?? '';
    if (mine === was) return gen ?? '';
    if (gen === was) return mine ?? '';
    // Both changed it differently (or one removed what the other changed). When all three have it, its comment
    // block and its key line merge apart: a new comment from the generator and the user's value are no conflict.
    if (mine !== undefined && was !== undefined && gen !== undefined) {
      const [m, w, g] = [split(mine), split(was), split(gen)];
      return merge(m.comments, w.comments, g.comments) + merge(m.line, w.line, g.line);
    }
    return merge(mine ?? '', was ?? '', gen ?? '');
  };

  const order: string[] = [];
  for (const e of o.entries) order.push(e.key);
  const placed = new Set(order);
  let after: string | undefined;
  for (const e of t.entries) {
    if (!placed.has(e.key) && !bb.has(e.key)) {
      // New from the generator: right after its predecessor in the generator's file.
      const at = after === undefined ? 0 : order.indexOf(after) + 1;
      order.splice(at, 0, e.key);
      placed.add(e.key);
    }
    if (placed.has(e.key)) after = e.key;
  }
  // Entries the user removed that the generator changed come back where the generator has them (as a conflict).
  for (const e of t.entries) {
    if (!placed.has(e.key) && bb.get(e.key) !== e.text) {
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

/** An entry's comment block and its key line (always the last line). */
function split(text: string): { comments: string; line: string } {
  const at = text.lastIndexOf('\n', text.length - 2) + 1;
  return { comments: text.slice(0, at), line: text.slice(at) };
}

/** An entry after text that does not end in a newline (the user's last line had none) starts its own line. */
function closedEntry(text: string, before: string): string {
  return text !== '' && before !== '' && !before.endsWith('\n') ? `\n${text}` : text;
}
