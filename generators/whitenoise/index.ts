/** `yo twelve-django:whitenoise`: the app generator with `whitenoise` turned on, merged into the project. */
import { ProjectGenerator } from '../../shell/project-generator.js';

export default class WhitenoiseGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { mode: 'change', asks: [], sets: { whitenoise: true }, title: 'WhiteNoise' });
  }
}
