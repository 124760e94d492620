/** `--help` as Yeoman prints it, built from the same declarations (core/generators.ts). */
import table from 'text-table';
import { SPECS, allOptions, positional, type GeneratorName } from '../core/generators.js';

/** `yo twelve-django:<name> --help`, the text Yeoman prints, built from the same declarations. */
export function helpText(name: GeneratorName): string {
  const spec = SPECS[name];
  const argument = positional(spec);
  const out = ['Usage:', `  yo twelve-django:${name} ${argument ? `[<${argument.name}>] ` : ''}[options]`, ''];
  const rows = allOptions(spec).map((o) => ['', o.alias ? `-${o.alias}, ` : '', `--${o.name}`, `# ${o.description}`, o.default !== undefined ? `Default: ${o.default}` : '']);
  out.push('Options:', table(rows), '');
  if (argument) {
    out.push('Arguments:', table([['', argument.name, `# ${argument.description}`, 'Type: String', 'Required: false']]), '');
  }
  return out.join('\n');
}
