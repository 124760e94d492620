/**
 * `yo twelve-django:update`: brings a project made by an earlier version to this one. Base = that version's render
 * of the stored answers, theirs = this version's, ours = disk: the same per-file merge as the subgenerators.
 */
import { ProjectGenerator } from '../../shell/project-generator.js';
import { SPECS } from '../../shell/specs.js';

export default class UpdateGenerator extends ProjectGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, SPECS.update);
  }
}
