/** Flags nobody declared are typos: refused with the list of what is allowed (the Yeoman shell and the fast bin). */
import { ownOptions, type GeneratorSpec } from '../core/generators.js';

/** The error for the first flag nobody declared, or undefined. */
export function unknownFlag(args: readonly string[], declared: readonly { name: string; alias?: string }[], spec: GeneratorSpec): string | undefined {
  const known = new Set<string>();
  for (const o of declared) {
    known.add(o.name);
    if (o.alias) known.add(o.alias);
  }
  for (const token of args) {
    if (!token.startsWith('-') || token === '-' || token === '--') continue;
    const name = token.replace(/^--?/, '').split('=')[0]!;
    if (known.has(name) || (name.startsWith('no-') && known.has(name.slice(3)))) continue;
    const allowed = ownOptions(spec).map((o) => `--${o.name}`);
    return `unknown option ${token.split('=')[0]}: allowed are ${allowed.join(', ')} (see --help)`;
  }
  return undefined;
}
