/** One step of the end-to-end chain for a combination. */
import type { Combination } from '../combinations.js';
import type { Context } from './context.js';

export interface Step {
  /** Short id, used in failure reports and the timing table. */
  id: string;
  title: string;
  /** Steps that must have passed first; when one did not, this step is not run (and says why). */
  after: readonly string[];
  /** Why this step does not apply to a combination (printed), or undefined when it does. */
  notApplicable?: (c: Combination) => string | undefined;
  run(ctx: Context): Promise<void>;
}
