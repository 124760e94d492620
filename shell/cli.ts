#!/usr/bin/env node
/**
 * `npx generator-twelve-django [celery|whitenoise] [name] [flags]`: the same generators without a global `yo`.
 * Any failure is one line on stderr and exit code 1.
 */
import path from 'node:path';
import { createEnv } from 'yeoman-environment';
import { PACKAGE_ROOT } from './package-root.js';

const SUBGENERATORS = ['celery', 'whitenoise', 'kubernetes'];

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const sub = first !== undefined && SUBGENERATORS.includes(first) ? first : undefined;
  const name = sub ?? 'app';
  const args = sub ? rest : argv;
  const env = createEnv();
  for (const generator of ['app', ...SUBGENERATORS]) {
    env.register(path.join(PACKAGE_ROOT, 'lib', 'generators', generator, 'index.js'), {
      namespace: `twelve-django:${generator}`,
      packagePath: PACKAGE_ROOT,
    });
  }
  if (args.includes('--help') || args.includes('-h')) {
    const generator = await env.create(`twelve-django:${name}`, { generatorArgs: args });
    process.stdout.write(`${(generator as unknown as { help(): string }).help()}\n`);
    return;
  }
  await env.run([`twelve-django:${name}`, ...args]);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`generator-twelve-django: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
