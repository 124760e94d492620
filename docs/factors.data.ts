/**
 * Build-time data for factors.md: the factor notes the features declare, for the defaults and for each other
 * choice of each option (derived from the declarations; no list of factors or options kept here).
 */
import { applies, resolveAnswers } from '../core/answers.js';
import { buildModel } from '../core/model.js';
import { ANSWER_OPTIONS } from '../core/options.js';

interface Note { text: string; html: string; files: readonly string[]; when: string }

const NAME = 'my-site';
/** Versions change the runtime, not which factor lives where. */
const SKIP = new Set(['projectName', 'description', 'authorName', 'authorEmail', 'python', 'django']);

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`([^`]+)`/g, '<code>$1</code>');

export default {
  async load() {
    const defaults = await resolveAnswers({ projectName: NAME }, { yes: true });
    const base = buildModel(defaults);
    const key = (n: { text: string; files: readonly string[] }) => `${n.text}|${n.files.join(',')}`;
    const seen = new Set(base.factors.flatMap((f) => f.notes.map(key)));
    const factors = base.factors.map((f) => ({
      factor: f.factor,
      title: f.name,
      notes: f.notes.map((n): Note => ({ text: n.text, html: html(n.text), files: n.files, when: '' })),
    }));
    for (const option of ANSWER_OPTIONS) {
      if (SKIP.has(option.name) || option.kind === 'text') continue;
      const values = option.kind === 'boolean' ? [true, false] : option.choices.map((c) => c.value);
      for (const value of values) {
        // An option that only applies with another (beat with Celery) is shown with what it needs turned on.
        const needs = applies(option, defaults) ? {} : { celery: true };
        const flags = { projectName: NAME, ...needs, [option.name]: value };
        const answers = await resolveAnswers(flags, { yes: true });
        const label = option.kind === 'boolean' ? (value ? `--${option.flag}` : `--no-${option.flag}`) : `--${option.flag} ${value}`;
        for (const f of buildModel(answers).factors) {
          for (const n of f.notes) {
            if (seen.has(key(n))) continue;
            seen.add(key(n));
            factors.find((x) => x.factor === f.factor)!.notes.push({ text: n.text, html: html(n.text), files: n.files, when: label });
          }
        }
      }
    }
    return { factors };
  },
};
