/**
 * The build stage (factor V) as a command of its own, `./build.sh`: the build-time steps features declare
 * (`buildSteps`: collecting static files), with the placeholders production settings need to load (`buildEnv`).
 * The Dockerfile runs it; so can a platform's build hook and a VM. Serving production settings without its output
 * stops the web server with one line that names it (config/env.py).
 */
import type { Feature } from '../feature.js';

/** The script, and how everything that builds calls it (from the project's root). */
export const BUILD = { script: 'build.sh', command: './build.sh' } as const;

declare module '../feature.js' {
  interface ModelFacts {
    /** The build command the Dockerfile, platform build hooks and the README call. */
    build?: typeof BUILD;
  }
}

export const build: Feature = {
  id: 'build',
  applies: () => true,
  contribute: () => ({
    files: [BUILD.script],
    facts: { build: BUILD },
    factors: [
      {
        factor: 'V',
        text: `Build: \`${BUILD.command}\` runs the build-time steps with no deploy's configuration; the Dockerfile calls it after installing the locked dependencies, and so can a platform's build hook or a VM`,
        files: [BUILD.script, 'Dockerfile'],
      },
    ],
  }),
};
