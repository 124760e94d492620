/**
 * The real interactive path: the built bin in a real pseudo-terminal (tmux), prompted through Yeoman's adapter
 * (Inquirer's prompts underneath). Keys go in with `send-keys` (text, arrows, Enter), the screen is read back
 * with `capture-pane`, every question in turn. The project it writes must equal, file for file and byte for
 * byte, the one the same answers given as flags write. tmux comes from scripts/ensure-tmux.sh.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applies, choiceStates, effectiveDefault } from '../../core/answers.js';
import { ANSWER_OPTIONS, POSITIONAL, type AnswerOption, type Answers } from '../../core/options.js';
import { CLI, ROOT, executables, expectSameTree, localEnv, readTree } from '../subgenerators/helpers.js';

/** Every answer away from its default where it has one, so each arrow and each typed character matters. */
const ANSWERS: Answers = {
  projectName: 'My Shop',
  description: 'A shop, answered by hand',
  authorName: 'Ada Lovelace',
  authorEmail: 'ada@example.com',
  python: '3.11',
  django: '5.2',
  database: 'mysql',
  cache: 'memcached',
  celery: true,
  beat: false,
  broker: 'rabbitmq',
  server: 'granian',
  whitenoise: false,
  kubernetes: true,
};

const work = mkdtempSync(path.join(tmpdir(), 'twelve-tty-'));
const socket = path.join(work, 'tmux.sock');
const SESSION = 'prompts';
let tmuxBin = 'tmux';
// Nothing of a surrounding tmux (or of vitest) reaches the one started here.
const env = { PATH: process.env.PATH, HOME: work, LANG: 'C.UTF-8', TERM: 'xterm-256color' };

const tmux = (...args: string[]) => execa(tmuxBin, ['-S', socket, ...args], { env, extendEnv: false, stdin: 'ignore' });
const screen = async () => (await tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', SESSION)).stdout;

/** Polls the screen until `test` holds; a timeout fails with the screen as it was. */
async function waitScreen(test: (text: string) => boolean, what: string, ms = 15_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const text = await screen();
    if (test(text)) return text;
    if (/^EXIT=\d+$/m.test(text)) throw new Error(`the generator ended while waiting for ${what}; the screen:\n${text}`);
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}; the screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

/** The question being asked is the last `? <message>` line (answered ones turn into `✔ <message> <answer>`). */
const asking = (option: AnswerOption) => (text: string) =>
  text
    .split('\n')
    .filter((l) => /^[?✔] /.test(l))
    .at(-1)
    ?.startsWith(`? ${option.message}`) ?? false;

/** The keys that answer one question: typed text, arrows from the default to the choice, y/n. */
async function answer(option: AnswerOption, value: unknown, sofar: Partial<Answers>): Promise<void> {
  await waitScreen(asking(option), `the question "${option.message}"`);
  if (option.kind === 'text') {
    if (value !== effectiveDefault(option, sofar)) await tmux('send-keys', '-t', SESSION, '-l', String(value));
  } else if (option.kind === 'boolean') {
    await tmux('send-keys', '-t', SESSION, '-l', value ? 'y' : 'n');
  } else {
    const values = option.choices.map((c) => c.value);
    const moves = (values.indexOf(String(value)) - values.indexOf(String(effectiveDefault(option, sofar))) + values.length) % values.length;
    for (let i = 0; i < moves; i++) await tmux('send-keys', '-t', SESSION, 'Down');
    const label = option.choices.find((c) => c.value === value)!.label;
    // the cursor (❯) is on the wanted choice before Enter
    await waitScreen((text) => text.split('\n').some((l) => l.startsWith(`❯ ${label}`)), `the cursor on "${label}"`);
  }
  await tmux('send-keys', '-t', SESSION, 'Enter');
}

/** The same answers as flags: what `--help` lists for each option. */
function asFlags(answers: Answers): string[] {
  return ANSWER_OPTIONS.flatMap((o) => {
    const value = answers[o.name];
    if (value === undefined || o === POSITIONAL) return [];
    return o.kind === 'boolean' ? [value ? `--${o.flag}` : `--no-${o.flag}`] : [`--${o.flag}`, String(value)];
  });
}

beforeAll(async () => {
  tmuxBin = (await execa('bash', [path.join(ROOT, 'scripts', 'ensure-tmux.sh')])).stdout.trim().split('\n').pop()!;
}, 300_000);

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

describe('prompts in a real terminal (tmux)', () => {
  it('arrows, typing and Enter through every question write the project the same answers as flags write', async () => {
    const typed = path.join(work, 'typed');
    const flagged = path.join(work, 'flagged');
    for (const dir of [typed, flagged]) await execa('mkdir', [dir]);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} --skip-install --skip-git; echo "EXIT=$?"; sleep 600`;
    await tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '50', '-c', typed, command);

    const sofar: Partial<Answers> = {};
    const asked: AnswerOption[] = [];
    for (const option of ANSWER_OPTIONS) {
      if (!applies(option, sofar)) continue;
      const value = ANSWERS[option.name];
      // A question the declared rules leave one value for is not asked.
      if (option.kind === 'text' || choiceStates(option, sofar).filter((c) => !c.refused).length > 1) {
        await answer(option, value, sofar);
        asked.push(option);
      }
      (sofar as Record<string, unknown>)[option.name] = value;
    }
    const done = await waitScreen((text) => /^EXIT=\d+$/m.test(text), 'the generator to finish', 30_000);
    expect(done, done).toMatch(/^EXIT=0$/m);
    // every question was answered on screen, in order, with the answer shown
    const answered = done.split('\n').filter((l) => l.startsWith('✔ '));
    expect(answered, done).toHaveLength(asked.length);
    asked.forEach((o, i) => expect(answered[i], done).toMatch(new RegExp(`^✔ ${o.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)));

    const flags = await execa(process.execPath, [CLI, ANSWERS.projectName, '--yes', ...asFlags(ANSWERS), '--skip-install', '--skip-git'], {
      cwd: flagged,
      stdin: 'ignore',
      reject: false,
    });
    expect(flags.exitCode, flags.stderr).toBe(0);

    // a name typed with spaces gives a directory nobody has to quote
    expect((await execa('ls', [typed])).stdout).toBe('my-shop');
    const a = path.join(typed, 'my-shop');
    const b = path.join(flagged, 'my-shop');
    expectSameTree(readTree(a), readTree(b));
    expect(executables(a)).toEqual(executables(b));
    expect(localEnv(a)).toBe(localEnv(b));
    expect(readTree(a).get('pyproject.toml')).toContain('description = "A shop, answered by hand"');
  });
});
