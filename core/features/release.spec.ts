// What the release feature writes, per row of the covering set (test/feature-spec.ts).
import { featureSpec } from '../../test/feature-spec.js';

featureSpec('release');
