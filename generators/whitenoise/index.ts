/** `yo twelve-django:whitenoise`: the app generator with `whitenoise` turned on, merged into the project. */
import { subgeneratorByName } from '../../core/subgenerators.js';
import { ProjectGenerator } from '../../shell/project-generator.js';

export default class WhitenoiseGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { mode: 'change', ...subgeneratorByName('whitenoise') });
  }
}
