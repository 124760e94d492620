/**
 * The spec every feature has beside its module (core/features/<id>.spec.ts): per row of the e2e covering set, the
 * files the feature contributes and the mode each is written with, as a snapshot (the way generator-jhipster snapshots
 * a written file list per option matrix). A change to what a feature writes shows up as a reviewed snapshot diff;
 * `npx vitest run -u core/features` records an intended one.
 */
import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../core/answers.js';
import { fileMode } from '../core/files.js';
import { buildModel } from '../core/model.js';
import { render } from '../core/render.js';
import { COMBINATIONS, DJANGO, PYTHON, expectedAnswers } from './e2e/combinations.js';
import { templates } from './helpers.js';

export function featureSpec(id: string): void {
  describe(`feature ${id}: its files and their modes, per row of the covering set`, () => {
    it.for(COMBINATIONS.map((c) => c.name))('%s', async (name) => {
      const combo = COMBINATIONS.find((c) => c.name === name)!;
      const answers = await resolveAnswers({ projectName: 'shop', python: PYTHON, django: DJANGO, ...expectedAnswers(combo) }, { yes: true });
      const model = buildModel(answers);
      const files = render(answers, templates);
      const mine = [...model.fileFeatures].filter(([, feature]) => feature === id).map(([path]) => `${fileMode(files.get(path)!).toString(8)} ${path}`);
      expect({ applies: model.features.includes(id), files: mine.sort() }).toMatchSnapshot();
    });
  });
}
