/** `yo twelve-django:kubernetes`: the app generator with `kubernetes` turned on, merged into the project. */
import { ProjectGenerator } from '../../shell/project-generator.js';
import { SPECS } from '../../shell/specs.js';

export default class KubernetesGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, SPECS.kubernetes);
  }
}
