/**
 * Continuous integration on the first push: a GitHub Actions workflow that lints, runs the tests
 * against the same backing services as production (the model's services, as CI service
 * containers) and runs the deploy checks with production settings.
 */
import type { Feature } from '../feature.js';
import { ACTIONS } from '../versions.js';

declare module '../feature.js' {
  interface ModelFacts {
    /** GitHub Actions the CI workflow uses, pinned. */
    actions?: typeof ACTIONS;
  }
}

export const ci: Feature = {
  id: 'ci',
  applies: () => true,
  contribute: () => ({
    files: ['.github/workflows/ci.yml', 'tests/test_database.py'],
    facts: { actions: ACTIONS },
    factors: [
      {
        factor: 'X',
        text: 'CI runs the tests against the same database, cache and broker as production, as service containers',
        files: ['.github/workflows/ci.yml'],
      },
    ],
  }),
};
