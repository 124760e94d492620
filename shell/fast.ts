/**
 * The bin's path for runs that can never prompt (`--yes`, no terminal, or nothing to ask): the same session, the
 * same options parsed by the same parser as Yeoman's (minimist, configured from the same declarations), the same
 * merge, written straight to disk without loading Yeoman (which is most of a run's time: see `npm run bench:cli`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import minimist from 'minimist';
import { InputError, type Given } from '../core/answers.js';
import { writePlan } from './plan.js';
import { unknownFlag } from './unknown-flag.js';
import { Session, type SessionIO } from './session.js';
import { SPECS, allOptions, declaredAnswerOptions, positional, type GeneratorName } from '../core/generators.js';
import { POSITIONAL } from '../core/options.js';

/** The options as Yeoman's generator parses them (yeoman-generator's `parseOptions`). */
export function parseOptions(name: GeneratorName, args: string[]): Record<string, unknown> {
  const declared = allOptions(SPECS[name]);
  // Like Yeoman: a boolean without a default stays unset when absent (minimist would make it false).
  const EMPTY = '@@empty';
  const parsed = minimist(args, {
    boolean: declared.filter((o) => o.type === 'boolean').map((o) => o.name),
    string: declared.filter((o) => o.type === 'string').map((o) => o.name),
    alias: Object.fromEntries(declared.filter((o) => o.alias).map((o) => [o.alias!, o.name])),
    default: Object.fromEntries(declared.filter((o) => o.type === 'boolean').map((o) => [o.name, o.default ?? EMPTY])),
  });
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // Only declared names are ever read (unknown flags are refused before); aliases come back under the name.
    const option = declared.find((o) => o.name === key);
    if (!option || value === EMPTY || value === undefined) continue;
    options[key] = option.type === 'boolean' ? Boolean(value) : String(value);
  }
  const argument = positional(SPECS[name]);
  if (argument && parsed._.length > 0) options[argument.name] = String(parsed._[0]);
  return options;
}

/** Whether this run can be done without Yeoman: nothing could ever be asked. */
export function canRunFast(name: GeneratorName, args: string[], terminal: boolean): boolean {
  return !terminal || parseOptions(name, args).yes === true || SPECS[name].asks.length === 0;
}

export async function runFast(name: GeneratorName, args: string[], cwd: string, log: (line: string) => void): Promise<void> {
  const spec = SPECS[name];
  const problem = unknownFlag(args, allOptions(spec), spec);
  if (problem) throw new InputError(problem);
  const options = parseOptions(name, args);
  const io: SessionIO = { cwd, log, spawn: spawnLikeExeca };
  const session = new Session(spec, io);
  session.initialize();
  const given: Given = {};
  for (const option of declaredAnswerOptions(spec)) {
    const value = options[option === POSITIONAL ? option.name : option.flag];
    if (value !== undefined) given[option.name] = value;
  }
  await session.resolve(given, options.yes === true);
  const plan = await session.makePlan();
  if (plan) {
    // The lines Yeoman's conflicter prints, relative to where the command runs.
    writePlan(session.root, plan, (status, file) => log(`${status.padStart(9)} ${path.relative(cwd, path.join(session.root, file)).split(path.sep).join('/')}`));
  }
  await session.install(options['skip-install'] === true, options['skip-git'] === true);
  session.end();
}

/** `uv lock` and git, on the user's terminal, rejecting the way Yeoman's spawn (execa) does. */
function spawnLikeExeca(command: string, args: string[], options: { cwd: string; reject?: boolean }): Promise<{ exitCode?: number }> {
  const reject = options.reject ?? true;
  return new Promise((resolve, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: reject ? 'inherit' : ['ignore', 'pipe', 'ignore'] });
    child.stdout?.resume();
    child.on('error', (error) => (reject ? fail(error) : resolve({})));
    child.on('close', (code, signal) => {
      if (code === 0 || !reject) return resolve({ exitCode: code ?? undefined });
      const why = signal ? `was killed with ${signal}` : `failed with exit code ${code}`;
      fail(Object.assign(new Error(`Command ${why}: ${[command, ...args].join(' ')}`), { shortMessage: `Command ${why}: ${[command, ...args].join(' ')}` }));
    });
  });
}
