/**
 * Render: a `render.yaml` Blueprint from the model. Every process a service built from the Dockerfile (so the image
 * build runs the build step), the release as the web service's pre-deploy command, its health check on the readiness
 * path, a managed PostgreSQL and a Key Value instance per attached Redis instance (a cache may evict, a broker must
 * not), shared config in one environment group (a generated secret is generated once, for every service).
 */
import type { Feature, Model } from '../feature.js';
import { BUILD } from './build.js';
import { platformPlan, type PlatformPlan, type PlatformTarget } from './platform.js';

export const RENDER: PlatformTarget = {
  id: 'render',
  title: 'Render',
  file: 'render.yaml',
  provides: () => ({ PORT: 'Render sets it for web services (10000) and routes there' }),
  offers: ['postgresql', 'redis'],
  host: (m) => ({ hosts: `${m.dnsName}-web.onrender.com`, origins: `https://${m.dnsName}-web.onrender.com` }),
  // maxShutdownDelaySeconds: 1 to 300.
  kill: { max: 300 },
};

export const RENDER_README = {
  section: 'Deploy to Render',
  once: 'First deploy',
  release: 'Every release',
  scale: 'Scale',
  admin: 'Admin processes',
  rollback: 'Roll back',
} as const;

export interface RenderService {
  type: 'web' | 'worker';
  name: string;
  process: string;
  dockerCommand: string;
  preDeployCommand?: string;
  healthCheckPath?: string;
  maxShutdownDelaySeconds: number;
  numInstances: number;
  /** Entries besides the group: attachments (fromDatabase, fromService) and the process's own switches. */
  envVars: Record<string, unknown>[];
}

export interface RenderPlan extends PlatformPlan {
  group: string;
  /** The environment group's entries. */
  groupVars: Record<string, unknown>[];
  renderServices: RenderService[];
  databases: { name: string; databaseName: string; user: string; plan: string; postgresMajorVersion: string }[];
  keyValues: { name: string; plan: string; maxmemoryPolicy: string }[];
  plan: string;
  readme: typeof RENDER_README;
}

declare module '../feature.js' {
  interface ModelFacts {
    render?: RenderPlan;
  }
}

export function renderPlan(m: Model): RenderPlan {
  const p = platformPlan(m, RENDER);
  const group = `${p.app}-config`;
  const managed = new Map(p.services.map((s) => [s.name, s]));
  const attached: Record<string, unknown>[] = [];
  const groupVars: Record<string, unknown>[] = [];
  for (const { env: v, source } of p.vars) {
    if (source.from === 'platform') continue;
    if (source.from === 'service') {
      const s = managed.get(source.service)!;
      attached.push(
        s.kind === 'postgresql'
          ? { key: v.name, fromDatabase: { name: s.name, property: 'connectionString' } }
          : { key: v.name, fromService: { type: 'keyvalue', name: s.name, property: 'connectionString' } },
      );
    } else if (source.from === 'generated') groupVars.push({ key: v.name, generateValue: true });
    else if (source.from === 'value') groupVars.push({ key: v.name, value: source.value });
    else groupVars.push({ key: v.name, sync: false });
  }
  const renderServices = p.processes.map((pp): RenderService => ({
    type: pp.process.web ? 'web' : 'worker',
    name: `${p.app}-${pp.process.name}`,
    process: pp.process.name,
    dockerCommand: pp.command,
    ...(pp.process.web ? { preDeployCommand: p.release.command.join(' '), healthCheckPath: m.probes.readiness } : {}),
    maxShutdownDelaySeconds: pp.stopSeconds,
    numInstances: 1,
    envVars: [{ fromGroup: group }, ...attached, ...Object.entries(pp.env).map(([key, value]) => ({ key, value }))],
  }));
  const slug = m.slug;
  return {
    ...p,
    group,
    groupVars,
    renderServices,
    databases: p.services.filter((s) => s.kind === 'postgresql').map((s) => ({ name: s.name, databaseName: slug, user: slug, plan: 'basic-256mb', postgresMajorVersion: '17' })),
    keyValues: p.services.filter((s) => s.kind === 'redis').map((s) => ({ name: s.name, plan: 'starter', maxmemoryPolicy: s.evicts ? 'allkeys-lru' : 'noeviction' })),
    plan: 'starter',
    readme: RENDER_README,
  };
}

export const renderBlueprint: Feature = {
  id: 'render',
  applies: (a) => a.platform === 'render',
  derive: (m) => ({ render: renderPlan(m) }),
  contribute: () => ({
    files: ['render.yaml'],
    readmeSections: ['deploy/platforms/render.md.ejs'],
    factors: [
      {
        factor: 'V',
        text: `On Render each process is a service built from the Dockerfile (which runs \`${BUILD.command}\`); the release is the web service's pre-deploy command`,
        files: ['render.yaml', 'Dockerfile'],
      },
    ],
  }),
};
