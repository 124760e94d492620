/**
 * A Python settings module as keyed units for keyed-merge.ts: each top-level statement is one unit, keyed by what
 * it assigns (`DEBUG`, `DATABASES["default"]["CONN_MAX_AGE"]`), imports by their module (`from config.env import`),
 * blocks by their header (`if DATABASES["default"]["ENGINE"] == "…"`, `def name`, `class Name`), other expressions
 * by what they call (`vars().update`). A statement spans every physical line it needs: open brackets, triple-quoted
 * strings, backslash continuations, the indented body of a block and its `elif`/`else`/`except`/`finally` clauses,
 * the decorators above a `def`. Comments and blank lines between statements are units without a key (keyed-merge
 * gives the comment block to the statement below it). Text this scanner cannot follow (an indented line with no
 * block above, an unclosed bracket or string) is not keyed: the caller merges by line. Pure.
 */
import type { Unit } from './keyed-merge.js';

interface Logical {
  text: string;
  /** The code without comments, whitespace outside strings collapsed to one space, trimmed. */
  code: string;
  indented: boolean;
}

const STRING_START = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?('''|"""|'|")/;
const CLAUSE = /^(elif|else|except|finally)\b/;

/** Split into logical lines, or undefined when a bracket or string is never closed. */
function logicalLines(text: string): Logical[] | undefined {
  const out: Logical[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    let depth = 0;
    let code = '';
    let space = false;
    const put = (s: string) => {
      if (space && code !== '') code += ' ';
      space = false;
      code += s;
    };
    for (;;) {
      if (i >= text.length) {
        if (depth > 0) return undefined;
        break;
      }
      const c = text[i]!;
      if (c === '\n') {
        i++;
        if (depth === 0) break;
        space = true;
        continue;
      }
      if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      if (c === '\\' && text[i + 1] === '\n') {
        i += 2;
        space = true;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
        space = true;
        i++;
        continue;
      }
      const quote = /[rRbBuUfF'"]/.test(c) && !/\w/.test(text[i - 1] ?? '') ? STRING_START.exec(text.slice(i, i + 5)) : null;
      if (quote) {
        const q = quote[1]!;
        let j = i + quote[0].length;
        for (;;) {
          if (j >= text.length) return undefined;
          if (text[j] === '\\') j += 2;
          else if (text.startsWith(q, j)) break;
          else if (q.length === 1 && text[j] === '\n') return undefined;
          else j++;
        }
        put(text.slice(i, j + q.length));
        i = j + q.length;
        continue;
      }
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c)) depth--;
      if (depth < 0) return undefined;
      put(c);
      i++;
    }
    out.push({ text: text.slice(start, i), code, indented: /^[ \t]/.test(text.slice(start, i)) && code !== '' });
  }
  return out;
}

/** Index of the first top-level `=` that assigns (not `==`, `<=`, `:=`, …), with its operator; -1 when none. */
function assignment(code: string): { at: number; op: string } {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    const quote = STRING_START.exec(code.slice(i, i + 5));
    if (quote && !/\w/.test(code[i - 1] ?? '')) {
      const q = quote[1]!;
      let j = i + quote[0].length;
      while (j < code.length && !code.startsWith(q, j)) j += code[j] === '\\' ? 2 : 1;
      i = j + q.length - 1;
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === '=' && depth === 0) {
      if (code[i + 1] === '=') return { at: -1, op: '' };
      const before = code[i - 1] ?? '';
      if ('=!<>:'.includes(before) && !(/[<>]/.test(before) && code[i - 2] === before)) return { at: -1, op: '' };
      const op = /(\*\*|\/\/|>>|<<|[-+*/%&|^@])$/.exec(code.slice(0, i))?.[1] ?? '';
      return { at: i - op.length, op: `${op}=` };
    }
  }
  return { at: -1, op: '' };
}

/** Without its last top-level call's arguments: `vars().update(X)` -> `vars().update`. */
function callee(code: string): string {
  if (!code.endsWith(')')) return code;
  let depth = 0;
  for (let i = code.length - 1; i >= 0; i--) {
    if (code[i] === ')') depth++;
    else if (code[i] === '(' && --depth === 0) return code.slice(0, i).trim() || code;
  }
  return code;
}

/** The key of a statement, from its first logical line's code (a decorated def/class: the def's). */
function keyOf(code: string, first: boolean): string {
  const def = /^(?:async )?def (\w+)/.exec(code) ?? /^(class) (\w+)/.exec(code);
  if (def) return def[2] ? `class ${def[2]}` : `def ${def[1]}`;
  if (/^(if|while|for|with|try|match|async for|async with)\b/.test(code) && code.endsWith(':')) return code.slice(0, -1).trim();
  const from = /^from (\S+) import\b/.exec(code);
  if (from) return /\bimport \*$/.test(code) ? `from ${from[1]} import *` : `from ${from[1]} import`;
  if (/^import\b/.test(code)) return code;
  // The module's docstring: a string literal, first.
  const literal = STRING_START.exec(code);
  if (first && literal && code.endsWith(literal[1]!) && code.length >= literal[0].length + literal[1]!.length) return '__doc__';
  const { at, op } = assignment(code);
  if (at >= 0) {
    let target = code.slice(0, at).trim();
    const annotated = /^([\w.]+)\s*:/.exec(target);
    if (annotated && op === '=') target = annotated[1]!;
    return op === '=' ? target : `${target} ${op}`;
  }
  return callee(code);
}

/** The units of a Python module, or undefined when it cannot be followed safely. */
export function pythonUnits(text: string): Unit[] | undefined {
  const lines = logicalLines(text);
  if (!lines) return undefined;
  const units: Unit[] = [];
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.code === '') {
      units.push({ text: line.text });
      continue;
    }
    if (line.indented) return undefined; // an indented line with no block above it
    let body = line.text;
    let head = line;
    // Decorators: the statement is the def or class below them.
    while (head.code.startsWith('@')) {
      const next = lines[++i];
      if (!next || next.indented) return undefined;
      body += next.text;
      if (next.code !== '') head = next;
    }
    if (head.code.endsWith(':')) {
      // A block: its indented body, its clauses, and the comments and blank lines between them.
      for (;;) {
        let j = i + 1;
        while (j < lines.length && lines[j]!.code === '') j++;
        const next = lines[j];
        if (!next || !(next.indented || CLAUSE.test(next.code))) break;
        for (let k = i + 1; k <= j; k++) body += lines[k]!.text;
        i = j;
      }
    }
    units.push({ text: body, key: keyOf(head.code, first) });
    first = false;
  }
  return units;
}
