/** `yo twelve-django:celery`: the app generator with `celery` turned on, merged into the project. */
import { subgeneratorByName } from '../../core/subgenerators.js';
import { ProjectGenerator } from '../../shell/project-generator.js';

export default class CeleryGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { mode: 'change', ...subgeneratorByName('celery') });
  }
}
