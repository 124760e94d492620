/** `yo twelve-django:celery`: the app generator with `celery` turned on, merged into the project. */
import { ProjectGenerator } from '../../shell/project-generator.js';
import { SPECS } from '../../shell/specs.js';

export default class CeleryGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, SPECS.celery);
  }
}
