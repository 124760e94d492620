/**
 * What the Procfile platforms (Heroku, Render, Fly.io) share: for each variable of the env contract, where its value
 * comes from there (the platform sets it, a managed service it provisions, a generated secret, a value committed in
 * the deploy file, or the user); the managed services the attachments ask for; each process with the command, stop
 * window and environment it runs with under the platform's kill window. Each target's module describes its
 * platform as data (`PlatformTarget`) and prints this plan; none of it names a feature.
 */
import type { Attachment, EnvVar, Model, Process } from '../feature.js';

/** Where one variable's value comes from on the platform. */
export type Source =
  /** The platform sets it itself (the port its router sends to). */
  | { from: 'platform'; why: string }
  /** A managed service the deploy provisions sets it. */
  | { from: 'service'; service: string }
  /** The platform generates a random value once (a signing key). */
  | { from: 'generated' }
  /** A value committed in the deploy file. */
  | { from: 'value'; value: string }
  /** The user sets it (a secret, an address only they know, a service this platform does not offer). */
  | { from: 'user'; required: boolean; shares?: string };

export interface PlatformVar {
  env: EnvVar;
  source: Source;
}

/** One managed backing service: what the attachments naming the same instance ask for. */
export interface ManagedService {
  /** The platform's name for it: `<app>-<instance>`. */
  name: string;
  kind: Attachment['kind'];
  instance: string;
  /** May evict keys under memory pressure (a cache); otherwise it must not (a broker). */
  evicts: boolean;
  /** The variables it sets. */
  vars: string[];
}

export interface PlatformProcess {
  process: Process;
  /** The Procfile's command line. */
  command: string;
  /** The seconds it needs between SIGTERM and exit here (its own, or its short stop under a short kill window). */
  stopSeconds: number;
  /** What it needs in its environment besides the contract's (a short stop's switch). */
  env: Readonly<Record<string, string>>;
}

/** A platform, as data the plan reads. */
export interface PlatformTarget {
  id: 'heroku' | 'render' | 'fly';
  title: string;
  /** The deploy file. */
  file: string;
  /** Variables the platform sets itself, with why. */
  provides: (m: Model) => Readonly<Record<string, string>>;
  /** The kinds of backing service it provisions. */
  offers: readonly Attachment['kind'][];
  /** Whether a managed service can set this variable (Heroku's add-ons set `<ATTACHMENT>_URL` only). */
  attachable?: (v: EnvVar) => boolean;
  /** The host the app answers on before a domain is added, as the host list and the origin list want it. */
  host: (m: Model) => { hosts: string; origins: string };
  /** SIGKILL comes this long after SIGTERM, whatever runs (`fixed`), or it can be set up to `max`. */
  kill: { fixed?: number; max?: number };
}

export interface PlatformPlan {
  target: PlatformTarget;
  app: string;
  /** Every variable of the env contract, once, with where its value comes from. */
  vars: PlatformVar[];
  services: ManagedService[];
  /** Every long-running process, in Procfile order. */
  processes: PlatformProcess[];
  /** The one-off release process. */
  release: Process;
  web: PlatformProcess;
  /** The port the web process listens on when the platform does not set it (the env contract's example). */
  port: number;
  /** The longest stop window of any process: a platform with one kill timeout per app takes this. */
  stopSeconds: number;
  /** Variables a short stop needs, with the processes that read them (a platform with app-wide config sets them for all). */
  stopEnv: { name: string; value: string; processes: string[]; why: string }[];
  host: { hosts: string; origins: string };
}

/** The placeholder domain of the env contract's examples. */
const EXAMPLE_DOMAIN = 'example.com';

export function platformPlan(m: Model, target: PlatformTarget): PlatformPlan {
  const port = Number(m.env.find((v) => v.name === 'PORT')?.example ?? NaN);
  if (!Number.isInteger(port)) throw new Error(`${target.id}: the env contract has no numeric PORT`);
  const provides = target.provides(m);
  const host = target.host(m);
  const services: ManagedService[] = [];
  const vars = m.env.map((env): PlatformVar => {
    if (provides[env.name]) return { env, source: { from: 'platform', why: provides[env.name]! } };
    const a = env.attaches;
    if (a && target.offers.includes(a.kind) && (target.attachable?.(env) ?? true)) {
      const name = `${m.dnsName}-${a.instance}`;
      let service = services.find((s) => s.instance === a.instance);
      if (service && service.kind !== a.kind) throw new Error(`${target.id}: instance ${a.instance} is attached as ${service.kind} and ${a.kind}`);
      if (!service) services.push((service = { name, kind: a.kind, instance: a.instance, evicts: a.evicts === true, vars: [] }));
      service.vars.push(env.name);
      return { env, source: { from: 'service', service: name } };
    }
    if (env.generated) return { env, source: { from: 'generated' } };
    if (env.secret || a) return { env, source: { from: 'user', required: env.required === true } };
    if (env.example.includes(EXAMPLE_DOMAIN)) {
      if (env.kind.type === 'list') return { env, source: { from: 'value', value: host.hosts } };
      if (env.kind.type === 'origins') return { env, source: { from: 'value', value: host.origins } };
      // An address at the user's own domain (a sender): theirs to set.
      return { env, source: { from: 'user', required: env.required === true } };
    }
    return { env, source: { from: 'value', value: env.example } };
  });
  // A variable of an instance a managed service provisions, that the service cannot set itself (Heroku sets one
  // `<NAME>_URL` per add-on): the same server's URL, which the user copies, or the project's local default is used.
  // The same holds for a variable whose instance another, required variable names (the broker's URL the user sets).
  for (const v of vars) {
    const a = v.env.attaches;
    if (!a || v.source.from !== 'user' || v.source.required) continue;
    const first = vars.find((x) => x !== v && x.env.attaches?.instance === a.instance && (x.source.from === 'service' || (x.source.from === 'user' && x.source.required)));
    if (first) v.source = { from: 'user', required: true, shares: first.env.name };
  }
  const window = target.kill.fixed ?? target.kill.max ?? Infinity;
  const processes = m.processes
    .filter((p) => !p.oneOff)
    .map((p): PlatformProcess => {
      const own = p.stopSeconds!;
      if (own <= window) return { process: p, command: p.command.join(' '), stopSeconds: own, env: {} };
      if (!p.shortStop) throw new Error(`${target.id}: ${p.name} needs ${own} s to stop, more than the ${window} s ${target.title} gives, and declares no short stop`);
      return { process: p, command: p.command.join(' '), stopSeconds: p.shortStop.stopSeconds + m.timeouts.stopMargin, env: p.shortStop.env };
    });
  const stopEnv: PlatformPlan['stopEnv'] = [];
  for (const p of processes) {
    for (const [name, value] of Object.entries(p.env)) {
      if (m.env.some((v) => v.name === name)) throw new Error(`${target.id}: ${p.process.name}'s short stop sets ${name}, a variable of the env contract`);
      const same = stopEnv.find((e) => e.name === name);
      if (same && same.value !== value) throw new Error(`${target.id}: two processes need ${name} set to different values`);
      if (same) same.processes.push(p.process.name);
      else stopEnv.push({ name, value, processes: [p.process.name], why: p.process.shortStop!.why });
    }
  }
  const release = m.processes.find((p) => p.oneOff);
  if (!release) throw new Error(`${target.id}: no release process`);
  return {
    target,
    app: m.dnsName,
    vars,
    services,
    processes,
    release,
    web: processes.find((p) => p.process.web)!,
    port,
    stopSeconds: Math.max(...processes.map((p) => p.stopSeconds)),
    stopEnv,
    host,
  };
}

