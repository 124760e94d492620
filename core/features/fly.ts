/**
 * Fly.io: `fly.toml` from the model. The app is built from the Dockerfile (which runs the build step), the release
 * command runs once per deploy on a temporary Machine of the new image, every process is a process group, the web's
 * HTTP service checks the readiness path on the port `[env]` gives it, one kill timeout covers every process's stop.
 * Values that may be committed go in `[env]`; secrets are set with `fly secrets set` (the README says which).
 */
import type { Feature, Model } from '../feature.js';
import { BUILD } from './build.js';
import { platformPlan, type PlatformPlan, type PlatformTarget } from './platform.js';

export const FLY: PlatformTarget = {
  id: 'fly',
  title: 'Fly.io',
  file: 'fly.toml',
  provides: () => ({}),
  // `fly postgres attach` sets DATABASE_URL as a secret.
  offers: ['postgresql'],
  host: (m) => ({ hosts: `${m.dnsName}.fly.dev`, origins: `https://${m.dnsName}.fly.dev` }),
  // kill_timeout: at most 300 s.
  kill: { max: 300 },
};

export const FLY_README = {
  section: 'Deploy to Fly.io',
  once: 'First deploy',
  release: 'Every release',
  scale: 'Scale',
  admin: 'Admin processes',
  rollback: 'Roll back',
} as const;

export interface FlyPlan extends PlatformPlan {
  /** `[env]`: committed values and the processes' short-stop switches. */
  flyEnv: { name: string; value: string }[];
  /** Set with `fly secrets set` before the first deploy. */
  secrets: string[];
  /** Secrets the user may set. */
  optionalSecrets: string[];
  region: string;
  check: { path: string; interval: string; timeout: string; gracePeriod: string };
  vm: { size: string; memory: string };
  readme: typeof FLY_README;
}

declare module '../feature.js' {
  interface ModelFacts {
    fly?: FlyPlan;
  }
}

export function flyPlan(m: Model): FlyPlan {
  const p = platformPlan(m, FLY);
  const flyEnv = [
    ...p.vars.flatMap(({ env, source }) => (source.from === 'value' ? [{ name: env.name, value: source.value }] : [])),
    ...p.stopEnv.map((e) => ({ name: e.name, value: e.value })),
  ];
  const user = p.vars.filter((v) => v.source.from === 'user' || v.source.from === 'generated');
  return {
    ...p,
    flyEnv,
    secrets: user.filter((v) => v.source.from === 'generated' || (v.source.from === 'user' && v.source.required)).map((v) => v.env.name),
    optionalSecrets: user.filter((v) => v.source.from === 'user' && !v.source.required).map((v) => v.env.name),
    region: 'iad',
    check: { path: m.probes.readiness, interval: '15s', timeout: '3s', gracePeriod: '10s' },
    vm: { size: 'shared-cpu-1x', memory: '512mb' },
    readme: FLY_README,
  };
}

export const fly: Feature = {
  id: 'fly',
  applies: (a) => a.platform === 'fly',
  derive: (m) => ({ fly: flyPlan(m) }),
  contribute: () => ({
    files: ['fly.toml'],
    readmeSections: ['deploy/platforms/fly.md.ejs'],
    factors: [
      {
        factor: 'V',
        text: `On Fly.io the image is built from the Dockerfile (which runs \`${BUILD.command}\`); \`release_command\` runs once per deploy before new Machines start`,
        files: ['fly.toml', 'Dockerfile'],
      },
    ],
  }),
};
