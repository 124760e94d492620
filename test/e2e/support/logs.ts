/** Reading a process's stdout as production logs: one JSON object per non-empty line (factor XI). */

export interface LogLines {
  /** Every non-empty line. */
  lines: string[];
  /** The lines that are JSON objects, parsed. */
  records: Record<string, unknown>[];
  /** The lines that are not JSON objects. */
  bad: string[];
}

export function logLines(stdout: string, ignore?: RegExp): LogLines {
  const out: LogLines = { lines: [], records: [], bad: [] };
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || ignore?.test(line.trim())) continue;
    out.lines.push(line);
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.records.push(v as Record<string, unknown>);
    else out.bad.push(line);
  }
  return out;
}
