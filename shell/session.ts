/**
 * One run of a generator, without Yeoman: get answers (flags, prompts, `.yo-rc.json`), plan the render onto the
 * directory with a three-way merge, run `uv lock` and git, report. The Yeoman class and the fast bin drive the same
 * session through its steps and differ only in how they ask, log, spawn and write.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError, parseValue, resolveAnswers, type Ask, type Given } from '../core/answers.js';
import { ANSWER_OPTIONS, POSITIONAL, type Answers } from '../core/options.js';
import { buildModel } from '../core/model.js';
import { STORAGE_KEY } from '../core/render.js';
import { projectDirectory, toSlug } from '../core/slug.js';
import { alreadyThere, subgeneratorGiven } from '../core/subgenerators.js';
import { GENERATOR_VERSION, storedVersion } from '../core/version.js';
import { compareVersions } from '../core/versions.js';
import { planApply, type Plan } from './plan.js';
import { PACKAGE_ROOT } from './package-root.js';
import type { GeneratorSpec } from '../core/generators.js';
import { coreOf, ownCore } from './version-core.js';

const YO_RC = '.yo-rc.json';

export interface SessionIO {
  /** The directory the command runs in. */
  cwd: string;
  log(message: string): void;
  /** Undefined when nobody can answer (no terminal): a missing answer is then an error naming the flag. */
  ask?: Ask;
  /** Run a command; rejects like execa (`code: 'ENOENT'` when missing, `shortMessage` on failure) unless `reject: false`. */
  spawn(command: string, args: string[], options: { cwd: string; reject?: boolean }): Promise<{ exitCode?: number }>;
  /** Told where the project is, once it is known. */
  setRoot?(root: string): void;
}

export class Session {
  root: string;
  answers?: Answers;
  previous?: Answers;
  /** The stored `.yo-rc.json` entry of an existing project, and the version that wrote it. */
  private entry?: Record<string, unknown>;
  previousVersion?: string;
  nothingToDo = false;
  created = false;
  plan?: Plan;
  private readonly problems: string[] = [];

  constructor(
    readonly spec: GeneratorSpec,
    private readonly io: SessionIO,
  ) {
    this.root = io.cwd;
  }

  get conflicts(): string[] {
    return this.plan?.conflicts ?? [];
  }

  /** Everything is checked here and in resolve, before a single file is written. */
  initialize(): void {
    if (this.spec.mode !== 'create') this.loadExistingProject(this.root, true);
  }

  async resolve(given: Given, yes: boolean): Promise<void> {
    if (this.spec.mode === 'update') return this.resolveUpdate();
    if (this.spec.mode === 'change') {
      const sub = { asks: this.spec.asks, sets: this.spec.sets ?? {} };
      const present = alreadyThere(sub, this.previous!);
      // A flag that differs from the stored choice (`celery --broker rabbitmq` on a Redis project) is a change to make.
      const changed = present
        ? ANSWER_OPTIONS.filter((o) => given[o.name] !== undefined && parseValue(o, given[o.name]) !== this.previous![o.name])
        : [];
      if (present && changed.length === 0) {
        this.io.log(`${this.spec.title} is already in this project: nothing to change.`);
        this.nothingToDo = true;
        return;
      }
      if (present) this.io.log(`${this.spec.title} is already in this project: changing ${changed.map((o) => `--${o.flag}`).join(', ')}.`);
      this.answers = await resolveAnswers({ ...subgeneratorGiven(sub, this.previous!), ...given }, { yes, ask: this.io.ask });
    } else {
      if (given[POSITIONAL.name] !== undefined) parseValue(POSITIONAL, given[POSITIONAL.name]);
      const name = given[POSITIONAL.name] as string | undefined;
      if (name !== undefined) this.useTarget(name);
      this.answers = await resolveAnswers(given, { yes, ask: this.io.ask, stored: this.previous });
      if (name === undefined) this.useTarget(this.answers.projectName);
    }
    this.io.log(`Python package: ${toSlug(this.answers.projectName)}`);
  }

  private resolveUpdate(): void {
    const from = this.previousVersion!;
    const order = compareVersions(from, GENERATOR_VERSION);
    if (order === 0) {
      this.io.log(`This project was made by ${STORAGE_KEY} ${from}, the version running: nothing to update.`);
      this.nothingToDo = true;
      return;
    }
    if (order > 0) {
      throw new InputError(
        `this project was made by ${STORAGE_KEY} ${from}, newer than this one (${GENERATOR_VERSION}): run the newer version (\`npx ${STORAGE_KEY}@${from} update\`)`,
      );
    }
    this.answers = this.previous;
    this.io.log(`Updating from ${STORAGE_KEY} ${from} to ${GENERATOR_VERSION}`);
  }

  /** The plan: base rendered by the version that made the project, theirs by this one, ours on disk. */
  async makePlan(): Promise<Plan | undefined> {
    if (this.nothingToDo || !this.answers) return undefined;
    const own = ownCore();
    const old = this.entry && this.previousVersion !== GENERATOR_VERSION ? await coreOf(this.previousVersion!, (line) => this.io.log(line)) : own;
    const before = this.entry ? old.answers(this.entry) : undefined;
    const answers = this.answers;
    this.plan = planApply(this.root, before ? old.render(before) : new Map(), own.render(answers), {
      base: before ? (secret) => old.renderLocalEnv(before, secret) : undefined,
      theirs: (secret) => own.renderLocalEnv(answers, secret),
      secretName: buildModel(answers).env.find((v) => v.generated)?.name,
    });
    return this.plan;
  }

  async install(skipInstall: boolean, skipGit: boolean): Promise<void> {
    if (this.nothingToDo || !this.answers) return;
    if (!skipInstall && this.conflicts.length > 0) {
      this.problems.push('`uv lock` was not run: resolve the conflicts, then run `uv lock` in the project');
    } else if (!skipInstall) {
      await this.runStep('uv', ['lock'], 'uv is not installed: install it (`pip install uv`), then run `uv lock` in the project');
    }
    if (this.created && !skipGit && !existsSync(path.join(this.root, '.git'))) await this.gitInit();
  }

  /** The closing report; throws the one-line error when something needs the user. */
  end(): void {
    if (this.nothingToDo || !this.answers) return;
    if (this.spec.mode === 'update') this.summarize();
    if (this.conflicts.length > 0) {
      this.io.log('Files that need your attention:');
      for (const c of this.conflicts) this.io.log(`  ${c}`);
    }
    if (this.conflicts.length > 0 || this.problems.length > 0) {
      throw new InputError(
        [...(this.conflicts.length ? [`${this.conflicts.length} file(s) need your attention (listed above)`] : []), ...this.problems].join('; '),
      );
    }
    if (this.created) {
      const dir = path.relative(this.io.cwd, this.root) || '.';
      this.io.log(`Done. Next: cd ${JSON.stringify(dir)} && uv sync && uv run python manage.py runserver`);
    }
  }

  /** What `update` changed, by kind, and where the release notes are. */
  private summarize(): void {
    const by = (kind: string) => this.plan!.changes.filter((c) => c.outcome === kind).map((c) => c.file);
    const lines: [string, string[]][] = [
      ['updated (you had not touched them)', by('updated')],
      ['merged with your edits', by('merged')],
      ['added', by('created')],
      ['removed (no longer generated, untouched)', by('deleted')],
      ['no longer generated but edited by you: kept', by('kept')],
      ['with conflicts to resolve', by('conflict')],
    ];
    this.io.log(`Updated from ${this.previousVersion} to ${GENERATOR_VERSION}:`);
    for (const [what, files] of lines) if (files.length) this.io.log(`  ${files.length} ${what}: ${files.join(', ')}`);
    if (lines.every(([, files]) => files.length === 0)) this.io.log('  no file changed');
    this.io.log(`Release notes: ${path.join(PACKAGE_ROOT, 'CHANGELOG.md')}`);
  }

  /** The app generator writes into ./<name>; a directory holding anything else is refused. */
  private useTarget(name: string): void {
    const dir = projectDirectory(name);
    const target = path.resolve(this.io.cwd, dir);
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
    this.setRoot(target);
    this.created = !this.previous;
  }

  private setRoot(root: string): void {
    this.root = root;
    this.io.setRoot?.(root);
  }

  private loadExistingProject(dir: string, required: boolean): void {
    const file = path.join(dir, YO_RC);
    let stored: unknown;
    if (existsSync(file)) {
      try {
        stored = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[STORAGE_KEY];
      } catch {
        throw new InputError(`invalid JSON in ${file}: fix or restore it, then run again`);
      }
    }
    if (stored === undefined || typeof stored !== 'object' || stored === null) {
      const root = required ? projectRootAbove(dir) : undefined;
      if (root) {
        // Run from a subdirectory, like git: the project is the nearest parent that has the entry.
        this.io.log(`Project root: ${root}`);
        this.setRoot(root);
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
    this.entry = stored as Record<string, unknown>;
    this.previousVersion = storedVersion(this.entry);
    try {
      this.previous = ownCore().answers(this.entry);
    } catch (error) {
      throw new InputError(`${YO_RC}: ${(error as Error).message}`);
    }
  }

  private async runStep(command: string, args: string[], missing: string): Promise<boolean> {
    this.io.log(`Running ${command} ${args.join(' ')}`);
    try {
      await this.io.spawn(command, args, { cwd: this.root });
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
    const identity = await this.io.spawn('git', ['config', 'user.email'], { cwd: this.root, reject: false });
    const who =
      identity.exitCode === 0
        ? []
        : ['-c', `user.name=${this.answers!.authorName || 'twelve-django'}`, '-c', `user.email=${this.answers!.authorEmail || 'twelve-django@localhost'}`];
    await this.runStep('git', [...who, 'commit', '--quiet', '-m', 'Initial commit from generator-twelve-django'], missing);
  }
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

