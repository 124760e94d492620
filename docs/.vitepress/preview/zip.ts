/** The project as a zip: the CLI's paths under the project directory, its bytes and its modes (Unix attributes). */
import { zipSync, type Zippable } from 'fflate';

/** A fixed time, so the same answers always give the same zip (DOS time starts in 1980). */
const MTIME = new Date(Date.UTC(1980, 0, 2));

export function zipProject(dir: string, files: readonly { path: string; content: string; mode: number }[]): Uint8Array {
  const encoder = new TextEncoder();
  const entries: Zippable = {};
  for (const f of files) {
    // Unix: the file type and permission bits sit in the high 16 bits of the external attributes.
    entries[`${dir}/${f.path}`] = [encoder.encode(f.content), { os: 3, attrs: ((0o100000 | f.mode) << 16) >>> 0, mtime: MTIME }];
  }
  return zipSync(entries, { level: 6 });
}
