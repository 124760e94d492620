/**
 * `pyproject.toml` as keyed units for keyed-merge.ts, one per line: a table header is keyed by its name, a key by
 * its table and name (`tool.uv.package`), and each item of a multi-line array by its array and value; the items of
 * a dependency array (`project.dependencies`, `dependency-groups.*`, …) by the package they name, normalized as
 * PyPI does, so `uv add pillow` next to a dependency a feature adds are two keys, and the same package changed on
 * both sides is one. Units of one dependency array carry its name as their group, so the merge can keep a sorted
 * list sorted. Comments and blank lines have no key. Multi-line strings and nested multi-line arrays are not
 * keyed (the caller merges by line). Pure.
 */
import type { Unit } from './keyed-merge.js';

const DEPENDENCY_ARRAYS = /^(project\.dependencies|project\.optional-dependencies\.[^.]+|dependency-groups\.[^.]+|build-system\.requires|tool\.uv\.dev-dependencies|tool\.uv\.constraint-dependencies|tool\.uv\.override-dependencies)$/;

/** A bare or quoted TOML key path, normalized: `"a".b . c` -> `a.b.c`. */
function keyPath(text: string): string {
  return text
    .split('.')
    .map((p) => p.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
    .join('.');
}

/** The package a PEP 508 requirement names, as PyPI normalizes it (PEP 503). */
export function packageName(requirement: string): string {
  const name = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement.trim();
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The units of a pyproject.toml, or undefined when it cannot be keyed line by line. */
export function tomlUnits(text: string): Unit[] | undefined {
  if (/"""|'''/.test(text)) return undefined;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const units: Unit[] = [];
  let table = '';
  const counts = new Map<string, number>();
  /** The multi-line array being read: its key path. */
  let array: string | undefined;
  for (const line of lines) {
    const code = stripComment(line).trim();
    if (code === '') {
      units.push({ text: line });
      continue;
    }
    if (array !== undefined) {
      if (/^\]/.test(code)) {
        units.push({ text: line, key: `${array}]` });
        array = undefined;
        continue;
      }
      if (/[[{]$/.test(code) || /^\[/.test(code)) return undefined; // a nested multi-line array
      const item = code.replace(/,$/, '').trim();
      const value = /^"([^"]*)"$|^'([^']*)'$/.exec(item);
      const dependency = DEPENDENCY_ARRAYS.test(array) && value;
      units.push({
        text: line,
        key: `${array}[${dependency ? packageName(value[1] ?? value[2]!) : item}]`,
        ...(dependency ? { group: array, order: packageName(value[1] ?? value[2]!) } : {}),
      });
      continue;
    }
    const header = /^\[\[\s*([^\]]+?)\s*\]\]$/.exec(code) ?? /^\[\s*([^\]]+?)\s*\]$/.exec(code);
    if (header) {
      const name = keyPath(header[1]!);
      const arrayOfTables = code.startsWith('[[');
      // Each [[x]] is a new table: numbered, so their keys stay apart.
      const n = (counts.get(name) ?? 0) + 1;
      if (arrayOfTables) counts.set(name, n);
      table = arrayOfTables ? `${name}#${n}` : name;
      units.push({ text: line, key: `[${table}]` });
      continue;
    }
    const kv = /^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=\s*(.*)$/.exec(code);
    if (!kv) return undefined;
    const key = `${table ? `${table}.` : ''}${keyPath(kv[1]!)}`;
    units.push({ text: line, key });
    if (opens(kv[2]!)) array = key;
  }
  return array === undefined ? units : undefined;
}

/** Whether a value starts an array that the line does not close. */
function opens(value: string): boolean {
  if (!value.startsWith('[')) return false;
  let depth = 0;
  for (const c of value.replace(/"[^"]*"|'[^']*'/g, '""')) {
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
  }
  return depth > 0;
}

/** The line without its comment (a `#` outside strings). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}
