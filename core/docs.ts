/**
 * The reference tables of the docs, made from the declarations (no second list to keep in step): the options
 * (docs/options.md) and the generators with their flags (a generated block of docs/subgenerators.md).
 */
import { GENERATOR_NAMES, SPECS, declaredAnswerOptions, ownOptions } from './generators.js';
import { ANSWER_OPTIONS, POSITIONAL, RUN_OPTIONS, conditionText, flagUsage, valueFlag, whenText, type AnswerOption } from './options.js';

export function optionsTable(): string {
  const rows = ANSWER_OPTIONS.map((o) => {
    const flag = o.kind === 'text' && o.positional ? `${o.positional.label} (argument)` : o.kind === 'boolean' ? `\`--${o.flag}\` / \`--no-${o.flag}\`` : `\`--${o.flag}\``;
    const choices = o.kind === 'choice' ? o.choices.map((c) => `\`${c.value}\` (${c.label})`).join(', ') : o.kind === 'boolean' ? 'yes / no' : 'text';
    const what = [o.when ? `${o.description} (${whenText(o)})` : o.description, ...rulesText(o)].join('; ');
    return `| ${flag} | ${what} | ${choices} | ${defaultText(o)} |`;
  });
  const runs = RUN_OPTIONS.map((r) => `| \`--${r.flag}\` | ${r.description} | | off |`);
  return [
    '# Options',
    '',
    'Generated from `core/options.ts` by `npm run docs`; every flag is also a prompt and a `.yo-rc.json` key.',
    '',
    '| flag | what | choices | default |',
    '|---|---|---|---|',
    ...rows,
    ...runs,
    '',
  ].join('\n');
}

function defaultText(o: AnswerOption): string {
  if (o.kind === 'text' && o.positional) return 'asked';
  const plain = o.kind === 'boolean' ? (o.default ? 'yes' : 'no') : o.default === '' ? 'empty' : `\`${String(o.default)}\``;
  return o.when ? `${plain} with ${conditionText(o.when)}` : plain;
}

/** `` `--kubernetes` needs `--database postgres or mysql` (SQLite is ...) ``. */
function rulesText(o: AnswerOption): string[] {
  return (o.rules ?? []).map((r) => `\`${valueFlag(o, r.value)}\` needs \`${conditionText(r.needs)}\` (${r.because})`);
}

/** Where the generated block of docs/subgenerators.md starts and ends. */
export const GENERATORS_BLOCK = { start: '<!-- generated from core/generators.ts by `npm run docs`: do not edit -->', end: '<!-- end of generated block -->' };

/** The table of every generator but the app's: what it does and the flags it takes. */
export function generatorsTable(): string {
  const rows = GENERATOR_NAMES.filter((n) => n !== 'app').map((name) => {
    const spec = SPECS[name];
    const answers = declaredAnswerOptions(spec).filter((o) => o !== POSITIONAL).map((o) => `\`${flagUsage(o).replace(' / ', '` / `').replaceAll('|', '\\|')}\``);
    const runs = ownOptions(spec).filter((o) => RUN_OPTIONS.some((r) => r.flag === o.name)).map((o) => `\`--${o.name}\``);
    const flags = [...answers, ...runs];
    return `| \`yo twelve-django:${name}\` | ${spec.description} | ${flags.join(', ')} |`;
  });
  return [GENERATORS_BLOCK.start, '| subgenerator | adds | flags |', '|---|---|---|', ...rows, GENERATORS_BLOCK.end].join('\n');
}

/** A page with its generated block replaced by the current one. */
export function withGeneratorsTable(page: string): string {
  const start = page.indexOf(GENERATORS_BLOCK.start);
  const end = page.indexOf(GENERATORS_BLOCK.end);
  if (start < 0 || end < start) throw new Error('the page has no generated block of generators');
  return page.slice(0, start) + generatorsTable() + page.slice(end + GENERATORS_BLOCK.end.length);
}
