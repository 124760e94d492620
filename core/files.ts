/**
 * What the generator decides about a rendered file besides its text, in one place so the CLI
 * (which writes it) and the docs preview (which zips it and writes patches) cannot disagree.
 */
/** Scripts (a shebang line) are written executable. */
export function isExecutable(content: string): boolean {
  return content.startsWith('#!');
}

/** The permission bits the CLI writes a file with: executable scripts, the rest read/write for the owner. */
export function fileMode(content: string): 0o755 | 0o644 {
  return isExecutable(content) ? 0o755 : 0o644;
}

/** Who wrote `.yo-rc.json`: the generator itself, not a feature. */
export const GENERATOR_FILE_OWNER = 'generator';
