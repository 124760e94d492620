/** Reads templates/ into the plain map the core renders from (the browser gets the same map bundled). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Templates } from '../core/render.js';
import { TEMPLATES_DIR } from './package-root.js';

let cached: Templates | undefined;

export function loadTemplates(dir = TEMPLATES_DIR): Templates {
  if (dir === TEMPLATES_DIR && cached) return cached;
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ejs')) continue;
    const full = join(entry.parentPath, entry.name);
    out[relative(dir, full).split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  if (dir === TEMPLATES_DIR) cached = out;
  return out;
}
