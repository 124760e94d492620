/** The option table of the docs, made from the declarations (no second list to keep in step). */
import { ANSWER_OPTIONS, RUN_OPTIONS } from './options.js';

export function optionsTable(): string {
  const rows = ANSWER_OPTIONS.map((o) => {
    const flag = o.name === 'projectName' ? 'project name (argument)' : o.kind === 'boolean' ? `\`--${o.flag}\` / \`--no-${o.flag}\`` : `\`--${o.flag}\``;
    const choices = o.kind === 'choice' ? o.choices.map((c) => `\`${c.value}\` (${c.label})`).join(', ') : o.kind === 'boolean' ? 'yes / no' : 'text';
    const fallback = o.name === 'projectName' ? 'asked' : o.name === 'beat' ? 'yes with Celery' : o.kind === 'boolean' ? (o.default({}) ? 'yes' : 'no') : o.default({}) === '' ? 'empty' : `\`${String(o.default({}))}\``;
    const what = o.whenText ? `${o.description} (${o.whenText})` : o.description;
    return `| ${flag} | ${what} | ${choices} | ${fallback} |`;
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
