/**
 * The one Yeoman shell: declares the options, asks through Yeoman's prompts, writes the session's plan through
 * Yeoman's in-memory file system (so conflicts and `--force` behave as Yeoman users expect) and spawns through
 * Yeoman. Everything else is the session (shell/session.ts), which the fast bin drives too. The app generator and
 * every subgenerator are this class with a different `spec`.
 */
import Generator from 'yeoman-generator';
import { InputError, checkRules, parseValue, type Ask, type Given } from '../core/answers.js';
import { executableMode } from './plan.js';
import { Session } from './session.js';
import { unknownFlag } from './unknown-flag.js';
import { SPECS, declaredAnswerOptions, ownOptions, positional, type GeneratorName, type GeneratorSpec } from '../core/generators.js';
import { POSITIONAL } from '../core/options.js';

export type { GeneratorSpec } from '../core/generators.js';

export class ProjectGenerator extends Generator {
  protected spec: GeneratorSpec = SPECS.app;
  private readonly session: Session;

  constructor(args: string[], options: Record<string, unknown>, spec?: GeneratorSpec) {
    // inheritTasks: the lifecycle methods below run for every subclass; helpers never become tasks.
    super(args, options as never, { inheritTasks: true, customInstallTask: true });
    if (spec) this.spec = spec;
    (this as { log: Generator['log'] }).log = quietTaskErrors(this.log);
    const argument = positional(this.spec);
    if (argument) this.argument(argument.name, { type: String, required: false, description: argument.description });
    for (const option of ownOptions(this.spec)) {
      this.option(option.name, { type: option.type === 'boolean' ? Boolean : String, description: option.description });
    }
    this.session = new Session(this.spec, {
      cwd: this.env.cwd,
      log: (message) => this.log(message),
      ask: this.ask(),
      spawn: (command, args, opts) => this.spawn(command, args, { cwd: opts.cwd, stdio: 'inherit', reject: opts.reject ?? true }),
      setRoot: (root) => this.destinationRoot(root),
    });
  }

  private flag(name: string): unknown {
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const options = this.options as Record<string, unknown>;
    return options[name] ?? options[camel];
  }

  /** Everything is checked here and in prompting, before a single file is written. */
  async initializing(): Promise<void> {
    this.rejectUnknownFlags();
    this.session.initialize();
  }

  async prompting(): Promise<void> {
    const given: Given = {};
    for (const option of declaredAnswerOptions(this.spec)) {
      const value = option === POSITIONAL ? this.flag(option.name) : this.flag(option.flag);
      if (value !== undefined) given[option.name] = value;
    }
    await this.session.resolve(given, Boolean(this.flag('yes')));
  }

  async writing(): Promise<void> {
    const plan = await this.session.makePlan();
    if (!plan) return;
    for (const change of plan.changes) {
      const target = this.destinationPath(change.file);
      if (change.outcome === 'kept') continue;
      if (change.content !== undefined) {
        const mode = executableMode(change);
        this.fs.write(target, change.content, mode === undefined ? undefined : { stat: { mode } as never });
        // The merge already kept the user's lines: Yeoman must not ask again.
        if (change.existed) forceWrite(this.fs, target);
      } else {
        // Only files the user never touched are deleted: no question either.
        this.fs.delete(target);
        forceWrite(this.fs, target);
      }
    }
  }

  async install(): Promise<void> {
    await this.session.install(Boolean(this.flag('skip-install')), Boolean(this.flag('skip-git')));
  }

  end(): void {
    this.session.end();
  }

  /** Prompts only where someone can answer; otherwise the core names the missing flags. */
  private ask(): Ask | undefined {
    // yeoman-test's adapter answers prompts itself; a real one needs a terminal.
    const mocked = this.env.adapter.constructor.name === 'TestAdapter';
    if (!mocked && !process.stdin.isTTY) return undefined;
    return async (option, fallback, sofar, states) => {
      const answer = await this.prompt([
        // The question is built from the option declaration; its exact type depends on the kind. Choices the
        // declared rules refuse with the answers so far are shown disabled, with the reason.
        ({
          type: option.kind === 'boolean' ? 'confirm' : option.kind === 'choice' ? 'select' : 'input',
          name: option.name,
          message: option.message,
          default: fallback,
          ...(option.kind === 'choice'
            ? { choices: option.choices.map((c) => ({ name: c.label, value: c.value, disabled: states?.find((x) => x.value === c.value)?.refused ?? false })) }
            : {}),
          validate: (value: unknown) => {
            try {
              checkRules({ ...sofar, [option.name]: parseValue(option, value) });
              return true;
            } catch (error) {
              return (error as Error).message;
            }
          },
        }) as never,
      ]);
      return (answer as Record<string, unknown>)[option.name];
    };
  }

  /** Flags nobody declared are typos: refuse them instead of ignoring them. */
  private rejectUnknownFlags(): void {
    const problem = unknownFlag(this._args, Object.values(this._options), this.spec);
    if (problem) throw new InputError(problem);
  }
}

/** The Yeoman class of one generator (the build writes `lib/generators/<name>/index.js` exporting it). */
export function generatorFor(name: GeneratorName): typeof ProjectGenerator {
  return class extends ProjectGenerator {
    constructor(args: string[], options: Record<string, unknown>) {
      super(args, options, SPECS[name]);
    }
  };
}

/**
 * Yeoman logs "An error occured while running <task>" before the error itself; bad input must be
 * one line, so that preamble is dropped (the error still propagates and says what is wrong).
 */
function quietTaskErrors<L extends Generator['log']>(log: L): L {
  return new Proxy(log, {
    get(target, prop, receiver) {
      if (prop !== 'error') return Reflect.get(target, prop, receiver);
      return (message: unknown, ...rest: unknown[]) => {
        if (typeof message === 'string' && message.startsWith('An error occured while running')) return target;
        return (target.error as (...a: unknown[]) => unknown)(message, ...rest);
      };
    },
  });
}

function forceWrite(fs: unknown, target: string): void {
  const file = (fs as { store: { get(p: string): { conflicter?: string } } }).store.get(target);
  file.conflicter = 'force';
}
