#!/usr/bin/env node
/**
 * `npx generator-twelve-django [<subgenerator>|update] [name] [flags]`: the same generators without a global `yo`.
 * `--help` and every run that can never prompt go through the session without loading Yeoman (most of a run's
 * time is loading it); a run that may prompt on a terminal goes through Yeoman, as `yo` does. Any failure is one
 * line on stderr and exit code 1.
 */
import module from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from './package-root.js';
import { GENERATOR_NAMES, type GeneratorName } from '../core/generators.js';
import { helpText } from './help.js';

// Node keeps the compiled modules on disk (its own cache dir): later runs skip most of the parsing.
module.enableCompileCache?.();

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const sub = GENERATOR_NAMES.find((n) => n !== 'app' && n === first);
  const name: GeneratorName = sub ?? 'app';
  const args = sub ? rest : argv;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${helpText(name)}\n`);
    return;
  }
  const { canRunFast, runFast } = await import('./fast.js');
  if (canRunFast(name, args, Boolean(process.stdin.isTTY))) {
    await runFast(name, args, process.cwd(), (line) => process.stderr.write(`${line}\n`));
    return;
  }
  const { createEnv } = await import('yeoman-environment');
  const env = createEnv();
  for (const generator of GENERATOR_NAMES) {
    env.register(path.join(PACKAGE_ROOT, 'lib', 'generators', generator, 'index.js'), {
      namespace: `twelve-django:${generator}`,
      packagePath: PACKAGE_ROOT,
    });
  }
  await env.run([`twelve-django:${name}`, ...args]);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`generator-twelve-django: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
