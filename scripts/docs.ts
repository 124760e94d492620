/** `npm run docs`: writes docs/options.md and the generators table of docs/subgenerators.md from the declarations (a test keeps both current). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { optionsTable, withGeneratorsTable } from '../core/docs.js';
import { PACKAGE_ROOT } from '../shell/package-root.js';

writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'options.md'), optionsTable());
const subgenerators = path.join(PACKAGE_ROOT, 'docs', 'subgenerators.md');
writeFileSync(subgenerators, withGeneratorsTable(readFileSync(subgenerators, 'utf8')));
console.log('wrote docs/options.md and the generators table of docs/subgenerators.md');
