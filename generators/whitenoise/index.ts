/** `yo twelve-django:whitenoise`: the app generator with `whitenoise` turned on, merged into the project. */
import { ProjectGenerator } from '../../shell/project-generator.js';
import { SPECS } from '../../shell/specs.js';

export default class WhitenoiseGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, SPECS.whitenoise);
  }
}
