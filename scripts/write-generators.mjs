// Build step, after tsc: one Yeoman entry point per generator of the registry (core/generators.ts), where Yeoman
// looks for them (lib/generators/<name>/index.js), so a new subgenerator needs no hand-written entry file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const lib = new URL('../lib/', import.meta.url);
const { GENERATOR_NAMES } = await import(new URL('core/generators.js', lib).href);
rmSync(new URL('generators/', lib), { recursive: true, force: true });
for (const name of GENERATOR_NAMES) {
  const dir = new URL(`generators/${name}/`, lib);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    new URL('index.js', dir),
    `// Written by scripts/write-generators.mjs from core/generators.ts (npm run build): \`yo twelve-django:${name}\`.\n` +
      `import { generatorFor } from '../../shell/project-generator.js';\n\nexport default generatorFor(${JSON.stringify(name)});\n`,
  );
}
