/**
 * What the generator decides about a rendered file besides its text, in one place so the CLI
 * (which writes it) and the docs preview (which zips it and writes patches) cannot disagree.
 */
import { isExecutable } from './apply.js';

/** The permission bits the CLI writes a file with: the rule is apply.ts's `isExecutable` (scripts, a shebang line). */
export function fileMode(content: string): 0o755 | 0o644 {
  return isExecutable(content) ? 0o755 : 0o644;
}

/** Who wrote `.yo-rc.json`: the generator itself, not a feature. */
export const GENERATOR_FILE_OWNER = 'generator';
