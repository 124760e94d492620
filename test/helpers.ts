/** Shared by the fast tests: the real templates and answers built from the real declarations. */
import { resolveAnswers } from '../core/answers.js';
import type { Answers } from '../core/options.js';
import { loadTemplates } from '../shell/templates.js';

export const templates = loadTemplates();

/** The answers `--yes` plus these flags would give. */
export function answersFor(flags: Record<string, unknown> = {}): Promise<Answers> {
  return resolveAnswers({ projectName: 'my-site', ...flags }, { yes: true });
}
