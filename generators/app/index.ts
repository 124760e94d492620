/** `yo twelve-django [name]`: asks every question and writes a new project (or updates ./name). */
import { ProjectGenerator } from '../../shell/project-generator.js';

export default class AppGenerator extends ProjectGenerator {}
