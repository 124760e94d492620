/** The generator's version, from package.json through a module generated at build time (scripts/write-version.mjs). */
import { InputError } from './answers.js';
import { PACKAGE } from './package.generated.js';

export const GENERATOR_VERSION: string = PACKAGE.version;

/** Projects whose .yo-rc.json records no version were made by the first release, which did not record it. */
export const FIRST_RELEASE = '0.1.0';

/** The version recorded in a project's `.yo-rc.json` entry; the first release's when there is none. */
export function storedVersion(entry: Record<string, unknown>): string {
  const version = entry.version;
  if (version === undefined) return FIRST_RELEASE;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new InputError(`.yo-rc.json: "version" ${JSON.stringify(version)} is not a generator version like ${FIRST_RELEASE}: restore it from git`);
  }
  return version;
}
