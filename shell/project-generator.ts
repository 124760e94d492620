/**
 * The one Yeoman shell. Gets answers (flags, prompts, `.yo-rc.json`), renders them with the core,
 * writes through Yeoman's in-memory file system with a three-way merge against what is on disk,
 * then runs `uv lock` and `git` through Yeoman's spawn. The app generator and every subgenerator
 * are this class with a different `spec`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Generator from 'yeoman-generator';
import { InputError, checkStoredAnswers, parseValue, resolveAnswers, type Ask, type Given } from '../core/answers.js';
import { applyRender } from '../core/apply.js';
import { decide } from '../core/merge.js';
import { ANSWER_OPTIONS, RUN_OPTIONS, flagUsage, type AnswerName, type AnswerOption, type Answers } from '../core/options.js';
import { STORAGE_KEY, render, renderLocalEnv } from '../core/render.js';
import { projectDirectory, toSlug } from '../core/slug.js';
import { loadTemplates } from './templates.js';

export interface GeneratorSpec {
  /** Creates a project (the app generator) or changes one that exists (subgenerators). */
  mode: 'create' | 'change';
  /** The answer options this generator takes as flags and asks. */
  asks: readonly AnswerName[];
  /** Answers a subgenerator sets (e.g. `{ celery: true }`). */
  sets?: Partial<Answers>;
  /** Shown when the feature is already there. */
  title?: string;
}

const YO_RC = '.yo-rc.json';

export class ProjectGenerator extends Generator {
  protected spec: GeneratorSpec = { mode: 'create', asks: ANSWER_OPTIONS.map((o) => o.name) };
  private answers?: Answers;
  private previous?: Answers;
  private nothingToDo = false;
  private created = false;
  private readonly conflicts: string[] = [];
  private readonly problems: string[] = [];

  constructor(args: string[], options: Record<string, unknown>, spec?: GeneratorSpec) {
    // inheritTasks: the lifecycle methods below run for every subclass; helpers never become tasks.
    super(args, options as never, { inheritTasks: true, customInstallTask: true });
    if (spec) this.spec = spec;
    (this as { log: Generator['log'] }).log = quietTaskErrors(this.log);
    for (const option of this.declaredAnswerOptions()) {
      if (option.name === 'projectName') {
        this.argument('projectName', { type: String, required: false, description: option.description });
        continue;
      }
      this.option(option.flag, {
        type: option.kind === 'boolean' ? Boolean : String,
        description: helpText(option, this.spec.mode),
      });
    }
    for (const run of RUN_OPTIONS) {
      if (run.name === 'skipGit' && this.spec.mode !== 'create') continue;
      this.option(run.flag, { type: Boolean, description: run.description });
    }
  }

  private declaredAnswerOptions(): AnswerOption[] {
    return ANSWER_OPTIONS.filter((o) => this.spec.asks.includes(o.name));
  }

  private flag(name: string): unknown {
    const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const options = this.options as Record<string, unknown>;
    return options[name] ?? options[camel];
  }

  /** Everything is checked here and in prompting, before a single file is written. */
  async initializing(): Promise<void> {
    this.rejectUnknownFlags();
    if (this.spec.mode === 'change') this.loadExistingProject(this.destinationRoot(), true);
  }

  async prompting(): Promise<void> {
    const given: Given = {};
    for (const option of this.declaredAnswerOptions()) {
      const value = option.name === 'projectName' ? this.flag('projectName') : this.flag(option.flag);
      if (value !== undefined) given[option.name] = value;
    }
    if (this.spec.mode === 'change') {
      const present = Object.entries(this.spec.sets ?? {}).every(([k, v]) => this.previous![k as AnswerName] === v);
      // A flag that differs from the stored choice (`celery --broker rabbitmq` on a Redis project) is a change to make.
      const changed = present
        ? ANSWER_OPTIONS.filter((o) => given[o.name] !== undefined && parseValue(o, given[o.name]) !== this.previous![o.name])
        : [];
      if (present && changed.length === 0) {
        this.log(`${this.spec.title} is already in this project: nothing to change.`);
        this.nothingToDo = true;
        return;
      }
      if (present) this.log(`${this.spec.title} is already in this project: changing ${changed.map((o) => `--${o.flag}`).join(', ')}.`);
      // Everything the subgenerator does not ask stays as stored; a feature being added takes its own answers
      // from flags, prompts or defaults, one already there keeps its stored choices unless a flag changes them.
      const stored = Object.fromEntries(
        Object.entries(this.previous!).filter(([k]) => present || !this.spec.asks.includes(k as AnswerName)),
      ) as Given;
      this.answers = await resolveAnswers({ ...stored, ...this.spec.sets, ...given }, { yes: this.yes(), ask: this.ask() });
    } else {
      if (given.projectName !== undefined) parseValue(ANSWER_OPTIONS[0]!, given.projectName);
      const name = given.projectName as string | undefined;
      if (name !== undefined) this.useTarget(name);
      this.answers = await resolveAnswers(given, { yes: this.yes(), ask: this.ask(), stored: this.previous });
      if (name === undefined) this.useTarget(this.answers.projectName);
    }
    this.log(`Python package: ${toSlug(this.answers.projectName)}`);
  }

  writing(): void {
    if (this.nothingToDo || !this.answers) return;
    const templates = loadTemplates();
    const base = this.previous ? render(this.previous, templates) : new Map<string, string>();
    const theirs = render(this.answers, templates);
    const conflicts = applyRender(base, theirs, {
      read: (file) => (existsSync(this.destinationPath(file)) ? readFileSync(this.destinationPath(file), 'utf8') : undefined),
      write: (file, content, { executable, existed }) => {
        this.fs.write(this.destinationPath(file), content, { stat: executable ? ({ mode: 0o100755 } as never) : undefined });
        // The merge already kept the user's lines: Yeoman must not ask again.
        if (existed) forceWrite(this.fs, this.destinationPath(file));
      },
      remove: (file) => {
        this.fs.delete(this.destinationPath(file));
        // The merge removes only files the user never touched: Yeoman must not ask either.
        forceWrite(this.fs, this.destinationPath(file));
      },
    });
    this.conflicts.push(...conflicts);
    const localEnv = this.destinationPath('.env');
    if (!existsSync(localEnv)) {
      this.fs.write(localEnv, renderLocalEnv(this.answers, templates, newSecret()));
    } else if (this.previous) {
      // The local .env gains the new variables too, merged like any file; its secret stays.
      const ours = readFileSync(localEnv, 'utf8');
      const secret = /^DJANGO_SECRET_KEY=(.*)$/m.exec(ours)?.[1] ?? newSecret();
      const action = decide(renderLocalEnv(this.previous, templates, secret), renderLocalEnv(this.answers, templates, secret), ours);
      if (action.kind === 'write') {
        this.fs.write(localEnv, action.content);
        forceWrite(this.fs, localEnv);
      }
      if ('conflict' in action && action.conflict) this.conflicts.push(`.env: ${action.conflict}`);
    }
  }

  async install(): Promise<void> {
    if (this.nothingToDo || !this.answers) return;
    if (!this.flag('skip-install') && this.conflicts.length > 0) {
      this.problems.push('`uv lock` was not run: resolve the conflicts, then run `uv lock` in the project');
    } else if (!this.flag('skip-install')) {
      await this.runStep('uv', ['lock'], 'uv is not installed: install it (`pip install uv`), then run `uv lock` in the project');
    }
    if (this.created && !this.flag('skip-git') && !existsSync(this.destinationPath('.git'))) {
      await this.gitInit();
    }
  }

  end(): void {
    if (this.nothingToDo || !this.answers) return;
    if (this.conflicts.length > 0) {
      this.log('Files that need your attention:');
      for (const c of this.conflicts) this.log(`  ${c}`);
    }
    if (this.conflicts.length > 0 || this.problems.length > 0) {
      throw new InputError(
        [
          ...(this.conflicts.length ? [`${this.conflicts.length} file(s) need your attention (listed above)`] : []),
          ...this.problems,
        ].join('; '),
      );
    }
    if (this.created) {
      const dir = path.relative(this.env.cwd, this.destinationRoot()) || '.';
      this.log(`Done. Next: cd ${JSON.stringify(dir)} && uv sync && uv run python manage.py runserver`);
    }
  }

  private yes(): boolean {
    return Boolean(this.flag('yes'));
  }

  /** Prompts only where someone can answer; otherwise the core names the missing flags. */
  private ask(): Ask | undefined {
    // yeoman-test's adapter answers prompts itself; a real one needs a terminal.
    const mocked = this.env.adapter.constructor.name === 'TestAdapter';
    if (!mocked && !process.stdin.isTTY) return undefined;
    return async (option, fallback) => {
      const answer = await this.prompt([
        // The question is built from the option declaration; its exact type depends on the kind.
        ({
          type: option.kind === 'boolean' ? 'confirm' : option.kind === 'choice' ? 'select' : 'input',
          name: option.name,
          message: option.message,
          default: fallback,
          ...(option.kind === 'choice' ? { choices: option.choices.map((c) => ({ name: c.label, value: c.value })) } : {}),
          validate: (value: unknown) => {
            try {
              parseValue(option, value);
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

  /** The app generator writes into ./<name>; a directory holding anything else is refused. */
  private useTarget(name: string): void {
    const dir = projectDirectory(name);
    const target = path.resolve(this.env.cwd, dir);
    if (existsSync(target)) {
      if (!statSync(target).isDirectory()) throw new InputError(`"${dir}" exists and is not a directory: choose another project name`);
      if (readdirSync(target).length > 0) {
        this.loadExistingProject(target, false);
        if (!this.previous || this.previous.projectName !== name) {
          throw new InputError(
            `directory "${dir}" already holds ${this.previous ? `the project "${this.previous.projectName}"` : 'files that are not a twelve-django project'}: choose another project name or an empty directory`,
          );
        }
      }
    }
    this.destinationRoot(target);
    this.created = !this.previous;
  }

  private loadExistingProject(dir: string, required: boolean): void {
    const file = path.join(dir, YO_RC);
    let stored: unknown;
    if (existsSync(file)) {
      try {
        stored = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[STORAGE_KEY];
      } catch {
        throw new InputError(`${file} is not valid JSON: fix or restore it, then run again`);
      }
    }
    if (stored === undefined || typeof stored !== 'object' || stored === null) {
      const root = required ? projectRootAbove(dir) : undefined;
      if (root) {
        // Run from a subdirectory, like git: the project is the nearest parent that has the entry.
        this.log(`Project root: ${root}`);
        this.destinationRoot(root);
        this.loadExistingProject(root, true);
        return;
      }
      if (required) {
        throw new InputError(
          `${dir} is not a twelve-django project (no "${STORAGE_KEY}" entry in ${YO_RC}): run this inside a project made by \`yo twelve-django\``,
        );
      }
      return;
    }
    try {
      this.previous = checkStoredAnswers(stored as Record<string, unknown>);
    } catch (error) {
      throw new InputError(`${YO_RC}: ${(error as Error).message}`);
    }
  }

  /** Flags nobody declared are typos: refuse them instead of ignoring them. */
  private rejectUnknownFlags(): void {
    const known = new Set<string>();
    for (const o of Object.values(this._options)) {
      known.add(o.name);
      if (o.alias) known.add(o.alias);
    }
    for (const token of this._args) {
      if (!token.startsWith('-') || token === '-' || token === '--') continue;
      const name = token.replace(/^--?/, '').split('=')[0]!;
      if (known.has(name) || (name.startsWith('no-') && known.has(name.slice(3)))) continue;
      const allowed = this.declaredAnswerOptions()
        .filter((o) => o.name !== 'projectName')
        .map((o) => `--${o.flag}`)
        .concat(RUN_OPTIONS.filter((r) => this._options[r.flag]).map((r) => `--${r.flag}`));
      throw new InputError(`unknown option ${token.split('=')[0]}: allowed are ${allowed.join(', ')} (see --help)`);
    }
  }

  private async runStep(command: string, args: string[], missing: string): Promise<boolean> {
    this.log(`Running ${command} ${args.join(' ')}`);
    try {
      await this.spawn(command, args, { cwd: this.destinationRoot(), stdio: 'inherit' });
      return true;
    } catch (error) {
      const e = error as { code?: string; shortMessage?: string; message: string };
      this.problems.push(
        e.code === 'ENOENT' ? missing : `\`${command} ${args.join(' ')}\` failed (${e.shortMessage ?? e.message}): fix the cause, then run it again in the project`,
      );
      return false;
    }
  }

  private async gitInit(): Promise<void> {
    const missing = 'git is not installed: install it, then `git init` and commit the project yourself';
    if (!(await this.runStep('git', ['init', '--quiet'], missing))) return;
    if (!(await this.runStep('git', ['add', '--all'], missing))) return;
    // Commit with the user's git identity, or the author answers when git has none.
    const identity = await this.spawn('git', ['config', 'user.email'], { cwd: this.destinationRoot(), reject: false });
    const who =
      identity.exitCode === 0
        ? []
        : ['-c', `user.name=${this.answers!.authorName || 'twelve-django'}`, '-c', `user.email=${this.answers!.authorEmail || 'twelve-django@localhost'}`];
    await this.runStep('git', [...who, 'commit', '--quiet', '-m', 'Initial commit from generator-twelve-django'], missing);
  }
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

/** The nearest directory above `dir` whose .yo-rc.json holds this generator's entry. */
function projectRootAbove(dir: string): string | undefined {
  for (let up = path.dirname(dir); up !== dir; dir = up, up = path.dirname(up)) {
    try {
      if ((JSON.parse(readFileSync(path.join(up, YO_RC), 'utf8')) as Record<string, unknown>)[STORAGE_KEY]) return up;
    } catch {
      // No readable .yo-rc.json here: look further up.
    }
  }
  return undefined;
}

function helpText(option: AnswerOption, mode: GeneratorSpec['mode']): string {
  // A subgenerator sets what `when` depends on (e.g. :celery), so the condition only matters when creating.
  const parts = [option.when && mode === 'create' ? `${option.description} (${option.whenText})` : option.description];
  if (option.kind === 'choice') parts.push(`one of ${option.choices.map((c) => c.value).join(', ')}; default ${option.default({})}`);
  if (option.kind === 'boolean') parts.push(`default ${option.default({}) ? 'yes' : 'no'}`);
  if (option.kind === 'text' && option.default({})) parts.push(`default "${option.default({})}"`);
  return `${parts.join('; ')} (${flagUsage(option)})`;
}

function forceWrite(fs: unknown, target: string): void {
  const file = (fs as { store: { get(p: string): { conflicter?: string } } }).store.get(target);
  file.conflicter = 'force';
}

/** A fresh Django secret for the local `.env` only: 64 URL-safe random characters. */
function newSecret(): string {
  return randomBytes(48).toString('base64url');
}

