// Build step: the core learns the package's name and version from package.json (the one source) through a
// generated module, so it needs no file system at run time, in Node or bundled for the browser.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { name, version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const text = `// Generated from package.json by scripts/write-version.mjs (npm run build): do not edit.\nexport const PACKAGE = { name: ${JSON.stringify(name)}, version: ${JSON.stringify(version)} } as const;\n`;
const target = new URL('core/package.generated.ts', root);
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // First build.
}
if (current !== text) writeFileSync(target, text);
