/** `yo twelve-django:kubernetes`: the app generator with `kubernetes` turned on, merged into the project. */
import { ProjectGenerator } from '../../shell/project-generator.js';

export default class KubernetesGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { mode: 'change', asks: [], sets: { kubernetes: true }, title: 'Kubernetes' });
  }
}
