/** `npm run docs`: writes docs/options.md from the option declarations (a test keeps it current). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { optionsTable } from '../core/docs.js';
import { PACKAGE_ROOT } from '../shell/package-root.js';

writeFileSync(path.join(PACKAGE_ROOT, 'docs', 'options.md'), optionsTable());
console.log('wrote docs/options.md');
