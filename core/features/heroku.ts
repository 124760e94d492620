/**
 * Heroku: `app.json` (the Heroku Button and review apps read it) and the README's CLI steps, both from one plan: the
 * Python buildpack (uv.lock and .python-version), the build step in its post-compile hook, the Procfile's `release:`
 * phase, add-ons for the attachments Heroku offers, every other variable of the env contract once.
 */
import type { EnvVar, Feature, Model } from '../feature.js';
import { BUILD } from './build.js';
import { platformPlan, type PlatformPlan, type PlatformTarget } from './platform.js';

/** Heroku's managed offering per kind of backing service (an add-on plan; each sets `<ATTACHMENT>_URL`). */
export const HEROKU_ADDONS: Readonly<Partial<Record<string, string>>> = {
  postgresql: 'heroku-postgresql:essential-0',
  mysql: 'jawsdb:kitefin',
  redis: 'heroku-redis:mini',
  rabbitmq: 'cloudamqp:lemur',
};

export const HEROKU: PlatformTarget = {
  id: 'heroku',
  title: 'Heroku',
  file: 'app.json',
  provides: (m) => ({
    PORT: "the port Heroku's router sends to, set for each dyno",
    ...(m.web.concurrencyEnv ? { [m.web.concurrencyEnv]: "the Python buildpack sets it from the dyno's memory" } : {}),
  }),
  offers: ['postgresql', 'mysql', 'redis', 'rabbitmq'],
  // An add-on attached as NAME sets NAME_URL.
  attachable: (v: EnvVar) => v.name.endsWith('_URL'),
  host: () => ({ hosts: '.herokuapp.com', origins: 'https://*.herokuapp.com' }),
  // Heroku SIGKILLs every process 30 s after SIGTERM.
  kill: { fixed: 30 },
};

export interface HerokuPlan extends PlatformPlan {
  stack: string;
  buildpack: string;
  /** The buildpack's own build switches (not the project's config). */
  buildSettings: { name: string; value: string; why: string }[];
  addons: { plan: string; as: string; service: string }[];
  dynoSize: string;
  hook: string;
  readme: typeof HEROKU_README;
  /** app.json's content. */
  appJson: Record<string, unknown>;
}

export const HEROKU_README = {
  section: 'Deploy to Heroku',
  once: 'First push',
  release: 'Every release',
  scale: 'Scale',
  admin: 'Admin processes',
  rollback: 'Roll back',
} as const;

declare module '../feature.js' {
  interface ModelFacts {
    heroku?: HerokuPlan;
  }
}

export function herokuPlan(m: Model): HerokuPlan {
  const plan = platformPlan(m, HEROKU);
  const h: Omit<HerokuPlan, 'appJson'> = {
    ...plan,
    stack: 'heroku-24',
    buildpack: 'heroku/python',
    buildSettings: [{ name: 'DISABLE_COLLECTSTATIC', value: '1', why: `the buildpack's own collectstatic is off: ${BUILD.command} in bin/post_compile builds, with no deploy's config` }],
    addons: plan.services.map((s) => ({ plan: HEROKU_ADDONS[s.kind]!, as: attachmentName(s.vars), service: s.name })),
    dynoSize: 'basic',
    hook: 'bin/post_compile',
    readme: HEROKU_README,
  };
  return { ...h, appJson: appJson(m, h) };
}

/** One add-on sets one `<NAME>_URL`: the first variable of its instance (others of the instance are the user's to set). */
function attachmentName(vars: readonly string[]): string {
  const url = vars.find((v) => v.endsWith('_URL'));
  if (!url) throw new Error(`heroku: no _URL variable among ${vars.join(', ')}`);
  return url.slice(0, -'_URL'.length);
}

/** app.json, as Heroku's schema reference documents it. */
function appJson(m: Model, h: Omit<HerokuPlan, 'appJson'>): Record<string, unknown> {
  const env: Record<string, Record<string, unknown>> = {};
  for (const s of h.buildSettings) env[s.name] = { description: s.why, value: s.value };
  for (const s of h.stopEnv) env[s.name] = { description: `${s.processes.join(', ')}: ${s.why}`, value: s.value };
  for (const { env: v, source } of h.vars) {
    if (source.from === 'platform' || source.from === 'service') continue;
    if (source.from === 'generated') env[v.name] = { description: v.description, generator: 'secret' };
    else if (source.from === 'value') env[v.name] = { description: v.description, value: source.value };
    else if (source.shares) env[v.name] = { description: `${v.description}: the same server as ${source.shares}, so its URL (heroku config:get ${source.shares})`, required: true };
    else env[v.name] = { description: v.description, required: source.required };
  }
  const formation: Record<string, { quantity: number; size: string }> = {};
  for (const p of h.processes) formation[p.process.name] = { quantity: 1, size: h.dynoSize };
  return {
    name: m.dnsName.slice(0, 30),
    description: m.answers.description,
    stack: h.stack,
    buildpacks: [{ url: h.buildpack }],
    env,
    addons: h.addons.map((a) => ({ plan: a.plan, as: a.as })),
    formation,
  };
}

export const heroku: Feature = {
  id: 'heroku',
  applies: (a) => a.platform === 'heroku',
  derive: (m) => ({ heroku: herokuPlan(m) }),
  contribute: () => ({
    files: ['app.json', 'bin/post_compile'],
    readmeSections: ['deploy/platforms/heroku.md.ejs'],
    factors: [
      {
        factor: 'V',
        text: `On Heroku the Python buildpack installs the locked dependencies and runs \`${BUILD.command}\` (bin/post_compile); the Procfile's \`release\` runs once per deploy before new dynos start`,
        files: ['app.json', 'bin/post_compile', 'Procfile'],
      },
    ],
  }),
};
