/**
 * The deploy files' documented keys, written from each platform's reference (not copied from any schema file):
 * Heroku's "app.json Schema" (devcenter), Render's "Blueprint YAML Reference", Fly.io's "Fly Launch configuration
 * (fly.toml)". Each checker returns one line per problem: an unknown key, a value of the wrong type or outside what
 * the reference allows, a missing required key. Only the parts the generator writes are described in depth; other
 * documented keys are allowed but not looked into.
 */
import { execFileSync } from 'node:child_process';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys outside `allowed`, and `required` keys missing, at `where`. */
function keys(v: Json, where: string, allowed: readonly string[], required: readonly string[] = []): string[] {
  if (!isObject(v)) return [`${where}: want a table/object, got ${JSON.stringify(v)}`];
  return [
    ...Object.keys(v).filter((k) => !allowed.includes(k)).map((k) => `${where}: unknown key "${k}" (allowed: ${allowed.join(', ')})`),
    ...required.filter((k) => !(k in v)).map((k) => `${where}: "${k}" is required`),
  ];
}
const string = (v: Json, where: string) => (typeof v === 'string' && v !== '' ? [] : [`${where}: want a non-empty string, got ${JSON.stringify(v)}`]);
const oneOf = (v: Json, where: string, values: readonly Json[]) => (values.includes(v) ? [] : [`${where}: ${JSON.stringify(v)} is not one of ${values.map((x) => JSON.stringify(x)).join(', ')}`]);
const int = (v: Json, where: string, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? [] : [`${where}: want a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`];
const list = (v: Json, where: string): v is Json[] => Array.isArray(v);

// ---------------------------------------------------------------------------------------------------------- Heroku
/** app.json's root keys (Heroku Dev Center, "app.json Schema"). */
const APP_JSON = ['name', 'description', 'keywords', 'website', 'repository', 'logo', 'success_url', 'scripts', 'env', 'formation', 'image', 'addons', 'buildpacks', 'environments', 'stack'];
const APP_JSON_ENV = ['description', 'value', 'required', 'generator'];
const HEROKU_STACKS = ['heroku-22', 'heroku-24'];
/** Dyno sizes the formation may name. */
const DYNO_SIZES = ['eco', 'basic', 'standard-1x', 'standard-2x', 'performance-m', 'performance-l', 'performance-l-ram', 'performance-xl', 'performance-2xl'];

export function checkAppJson(doc: Json): string[] {
  const out = keys(doc, 'app.json', APP_JSON);
  if (!isObject(doc)) return out;
  if (doc.name !== undefined) {
    out.push(...string(doc.name, 'app.json name'));
    if (typeof doc.name === 'string' && doc.name.length > 30) out.push('app.json name: 30 characters at most');
  }
  if (doc.stack !== undefined) out.push(...oneOf(doc.stack, 'app.json stack', HEROKU_STACKS));
  if (doc.buildpacks !== undefined) {
    if (!list(doc.buildpacks, '')) out.push('app.json buildpacks: want an array');
    else doc.buildpacks.forEach((b, i) => out.push(...keys(b, `app.json buildpacks[${i}]`, ['url'], ['url']), ...(isObject(b) ? string(b.url, `app.json buildpacks[${i}].url`) : [])));
  }
  if (doc.env !== undefined) {
    if (!isObject(doc.env)) out.push('app.json env: want an object');
    else {
      for (const [name, e] of Object.entries(doc.env)) {
        const where = `app.json env.${name}`;
        if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) out.push(`${where}: not a config var name`);
        if (typeof e === 'string') continue; // the short form: the value itself
        out.push(...keys(e, where, APP_JSON_ENV));
        if (!isObject(e)) continue;
        if (e.description !== undefined) out.push(...string(e.description, `${where}.description`));
        if (e.value !== undefined && typeof e.value !== 'string') out.push(`${where}.value: want a string (config vars are strings), got ${JSON.stringify(e.value)}`);
        if (e.required !== undefined && typeof e.required !== 'boolean') out.push(`${where}.required: want true or false`);
        if (e.generator !== undefined) out.push(...oneOf(e.generator, `${where}.generator`, ['secret']));
        if (e.generator !== undefined && e.value !== undefined) out.push(`${where}: a value and a generator`);
      }
    }
  }
  if (doc.addons !== undefined) {
    if (!list(doc.addons, '')) out.push('app.json addons: want an array');
    else
      doc.addons.forEach((a, i) => {
        const where = `app.json addons[${i}]`;
        if (typeof a === 'string') return;
        out.push(...keys(a, where, ['plan', 'as', 'options'], ['plan']));
        if (!isObject(a)) return;
        out.push(...string(a.plan, `${where}.plan`));
        if (typeof a.plan === 'string' && !/^[a-z0-9-]+(:[a-z0-9-]+)?$/.test(a.plan)) out.push(`${where}.plan: "${a.plan}" is not <service>[:<plan>]`);
        if (a.as !== undefined && !(typeof a.as === 'string' && /^[A-Z][A-Z0-9_]*$/.test(a.as))) out.push(`${where}.as: an attachment name is upper case letters, digits and _`);
      });
  }
  if (doc.formation !== undefined) {
    if (!isObject(doc.formation)) out.push('app.json formation: want an object');
    else
      for (const [type, f] of Object.entries(doc.formation)) {
        const where = `app.json formation.${type}`;
        out.push(...keys(f, where, ['quantity', 'size']));
        if (!isObject(f)) continue;
        if (f.quantity !== undefined) out.push(...int(f.quantity, `${where}.quantity`, 0, 100));
        if (f.size !== undefined) out.push(...oneOf(f.size, `${where}.size`, DYNO_SIZES));
      }
  }
  if (doc.scripts !== undefined) out.push(...keys(doc.scripts, 'app.json scripts', ['postdeploy', 'pr-predestroy']));
  return out;
}

// ---------------------------------------------------------------------------------------------------------- Render
const BLUEPRINT = ['services', 'databases', 'envVarGroups', 'projects', 'ungrouped', 'previews', 'previewsEnabled', 'previewsExpireAfterDays'];
const SERVICE_TYPES = ['web', 'worker', 'pserv', 'cron', 'keyvalue', 'redis'];
const RUNTIMES = ['docker', 'elixir', 'go', 'node', 'python', 'ruby', 'rust', 'image', 'static'];
const SERVICE = [
  'type', 'name', 'runtime', 'plan', 'region', 'repo', 'branch', 'rootDir', 'buildCommand', 'startCommand', 'preDeployCommand',
  'dockerfilePath', 'dockerContext', 'dockerCommand', 'registryCredential', 'image', 'healthCheckPath', 'numInstances', 'scaling',
  'envVars', 'disk', 'autoDeploy', 'autoDeployTrigger', 'buildFilter', 'maxShutdownDelaySeconds', 'domains', 'schedule', 'previews',
  'pullRequestPreviewsEnabled', 'staticPublishPath', 'headers', 'routes', 'buildPlan',
];
const KEYVALUE = ['type', 'name', 'plan', 'region', 'ipAllowList', 'maxmemoryPolicy', 'previews'];
const DATABASE = ['name', 'databaseName', 'user', 'plan', 'region', 'postgresMajorVersion', 'ipAllowList', 'readReplicas', 'highAvailability', 'diskSizeGB', 'previewPlan', 'previews'];
const EVICTION = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'noeviction'];
const SERVICE_PLANS = ['free', 'starter', 'standard', 'pro', 'pro plus', 'pro max', 'pro ultra'];
const DATABASE_PROPERTIES = ['host', 'port', 'database', 'user', 'password', 'connectionString'];
const SERVICE_PROPERTIES = ['host', 'port', 'hostport', 'connectionString'];

function checkEnvVars(v: Json, where: string, inGroup: boolean): string[] {
  if (!list(v, '')) return [`${where}: want a list`];
  const out: string[] = [];
  v.forEach((e, i) => {
    const at = `${where}[${i}]`;
    if (isObject(e) && 'fromGroup' in e) {
      if (inGroup) out.push(`${at}: a group cannot include another group`);
      out.push(...keys(e, at, ['fromGroup']), ...string(e.fromGroup, `${at}.fromGroup`));
      return;
    }
    const sources = ['value', 'generateValue', 'sync', 'fromDatabase', 'fromService'];
    out.push(...keys(e, at, ['key', ...sources], ['key']));
    if (!isObject(e)) return;
    if (typeof e.key !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key)) out.push(`${at}.key: not an environment variable name`);
    const given = sources.filter((s) => s in e);
    if (given.length > 1) out.push(`${at}: one source per variable, got ${given.join(' and ')}`);
    if ('value' in e && typeof e.value !== 'string') out.push(`${at}.value: want a string (write numbers and booleans quoted), got ${JSON.stringify(e.value)}`);
    if ('generateValue' in e && e.generateValue !== true) out.push(`${at}.generateValue: only true`);
    if ('sync' in e && e.sync !== false) out.push(`${at}.sync: only false`);
    if (inGroup && ('fromDatabase' in e || 'fromService' in e)) out.push(`${at}: an environment group holds values, not references to databases or services`);
    if ('fromDatabase' in e) {
      out.push(...keys(e.fromDatabase, `${at}.fromDatabase`, ['name', 'property'], ['name', 'property']));
      if (isObject(e.fromDatabase)) out.push(...oneOf(e.fromDatabase.property, `${at}.fromDatabase.property`, DATABASE_PROPERTIES));
    }
    if ('fromService' in e) {
      out.push(...keys(e.fromService, `${at}.fromService`, ['type', 'name', 'property', 'envVarKey'], ['type', 'name']));
      if (isObject(e.fromService)) {
        out.push(...oneOf(e.fromService.type, `${at}.fromService.type`, SERVICE_TYPES));
        if (e.fromService.property !== undefined) out.push(...oneOf(e.fromService.property, `${at}.fromService.property`, SERVICE_PROPERTIES));
        if ((e.fromService.property === undefined) === (e.fromService.envVarKey === undefined)) out.push(`${at}.fromService: property or envVarKey, one of them`);
      }
    }
  });
  return out;
}

export function checkBlueprint(doc: Json): string[] {
  const out = keys(doc, 'render.yaml', BLUEPRINT);
  if (!isObject(doc)) return out;
  const names = new Set<string>();
  const named = (n: Json, at: string) => {
    out.push(...string(n, `${at}.name`));
    if (typeof n === 'string' && names.has(n)) out.push(`${at}.name: "${n}" is used twice`);
    if (typeof n === 'string') names.add(n);
  };
  (list(doc.services, '') ? doc.services : []).forEach((s, i) => {
    const at = `render.yaml services[${i}]`;
    if (!isObject(s)) return out.push(`${at}: want a mapping`);
    out.push(...oneOf(s.type, `${at}.type`, SERVICE_TYPES));
    named(s.name, at);
    if (s.type === 'keyvalue' || s.type === 'redis') {
      out.push(...keys(s, at, KEYVALUE, ['type', 'name', 'ipAllowList']));
      if (s.maxmemoryPolicy !== undefined) out.push(...oneOf(s.maxmemoryPolicy, `${at}.maxmemoryPolicy`, EVICTION));
      if (s.ipAllowList !== undefined && !list(s.ipAllowList, '')) out.push(`${at}.ipAllowList: want a list`);
      return;
    }
    out.push(...keys(s, at, SERVICE, ['type', 'name', 'runtime']));
    out.push(...oneOf(s.runtime, `${at}.runtime`, RUNTIMES));
    if (s.plan !== undefined) out.push(...oneOf(s.plan, `${at}.plan`, SERVICE_PLANS));
    if (s.runtime === 'docker' && s.startCommand !== undefined) out.push(`${at}: a Docker service starts with dockerCommand, not startCommand`);
    if (s.runtime !== 'docker' && s.runtime !== 'image' && s.dockerCommand !== undefined) out.push(`${at}: dockerCommand is for Docker services`);
    if (s.healthCheckPath !== undefined && s.type !== 'web') out.push(`${at}.healthCheckPath: web services only`);
    if (s.healthCheckPath !== undefined && !(typeof s.healthCheckPath === 'string' && s.healthCheckPath.startsWith('/'))) out.push(`${at}.healthCheckPath: a path starting with /`);
    if (s.preDeployCommand !== undefined && !['web', 'worker', 'pserv'].includes(s.type as string)) out.push(`${at}.preDeployCommand: web, worker and private services only`);
    if (s.maxShutdownDelaySeconds !== undefined) out.push(...int(s.maxShutdownDelaySeconds, `${at}.maxShutdownDelaySeconds`, 1, 300));
    if (s.numInstances !== undefined) out.push(...int(s.numInstances, `${at}.numInstances`, 1, 100));
    if (s.envVars !== undefined) out.push(...checkEnvVars(s.envVars, `${at}.envVars`, false));
  });
  (list(doc.databases, '') ? doc.databases : []).forEach((d, i) => {
    const at = `render.yaml databases[${i}]`;
    out.push(...keys(d, at, DATABASE, ['name']));
    if (isObject(d)) {
      named(d.name, at);
      if (d.postgresMajorVersion !== undefined && !(typeof d.postgresMajorVersion === 'string' && /^\d+$/.test(d.postgresMajorVersion))) out.push(`${at}.postgresMajorVersion: a version number as a string`);
    }
  });
  (list(doc.envVarGroups, '') ? doc.envVarGroups : []).forEach((g, i) => {
    const at = `render.yaml envVarGroups[${i}]`;
    out.push(...keys(g, at, ['name', 'envVars'], ['name', 'envVars']));
    if (isObject(g)) out.push(...checkEnvVars(g.envVars, `${at}.envVars`, true));
  });
  return out;
}

// ------------------------------------------------------------------------------------------------------------- Fly
const FLY_ROOT = ['app', 'primary_region', 'kill_signal', 'kill_timeout', 'swap_size_mb', 'console_command', 'build', 'deploy', 'env', 'processes', 'http_service', 'services', 'checks', 'mounts', 'vm', 'statics', 'metrics', 'experimental', 'restart', 'files'];
const FLY_BUILD = ['dockerfile', 'image', 'builder', 'buildpacks', 'args', 'build-target', 'ignorefile', 'build_target'];
const FLY_DEPLOY = ['release_command', 'release_command_timeout', 'release_command_vm', 'strategy', 'max_unavailable', 'wait_timeout', 'seed_command'];
const FLY_HTTP = ['internal_port', 'force_https', 'auto_stop_machines', 'auto_start_machines', 'min_machines_running', 'processes', 'concurrency', 'checks', 'tls_options', 'http_options', 'machine_checks'];
const FLY_CHECK = ['grace_period', 'interval', 'method', 'timeout', 'path', 'protocol', 'tls_skip_verify', 'headers', 'tls_server_name'];
const FLY_VM = ['size', 'memory', 'cpus', 'cpu_kind', 'gpus', 'gpu_kind', 'processes', 'memory_mb', 'kernel_args', 'host_dedication_id', 'persist_rootfs'];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGKILL', 'SIGSTOP'];
const duration = (v: Json, where: string) => (typeof v === 'string' && /^\d+(ms|s|m|h)$/.test(v) ? [] : [`${where}: want a duration like "10s", got ${JSON.stringify(v)}`]);

/** fly.toml as TOML (Python's tomllib, the reference parser here), then its keys. */
export function parseToml(text: string): Json {
  return JSON.parse(execFileSync('python3', ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' }));
}

export function checkFlyToml(doc: Json): string[] {
  const out = keys(doc, 'fly.toml', FLY_ROOT, ['app']);
  if (!isObject(doc)) return out;
  out.push(...string(doc.app, 'fly.toml app'));
  if (doc.kill_signal !== undefined) out.push(...oneOf(doc.kill_signal, 'fly.toml kill_signal', SIGNALS));
  if (doc.kill_timeout !== undefined) out.push(...(typeof doc.kill_timeout === 'string' ? duration(doc.kill_timeout, 'fly.toml kill_timeout') : int(doc.kill_timeout, 'fly.toml kill_timeout', 1, 300)));
  if (doc.build !== undefined) out.push(...keys(doc.build, 'fly.toml [build]', FLY_BUILD));
  if (doc.deploy !== undefined) {
    out.push(...keys(doc.deploy, 'fly.toml [deploy]', FLY_DEPLOY));
    if (isObject(doc.deploy) && doc.deploy.strategy !== undefined) out.push(...oneOf(doc.deploy.strategy, 'fly.toml [deploy] strategy', ['rolling', 'immediate', 'canary', 'bluegreen']));
  }
  if (doc.env !== undefined) {
    if (!isObject(doc.env)) out.push('fly.toml [env]: want a table');
    else for (const [k, v] of Object.entries(doc.env)) if (typeof v !== 'string') out.push(`fly.toml [env] ${k}: want a string, got ${JSON.stringify(v)}`);
  }
  if (doc.processes !== undefined) {
    if (!isObject(doc.processes)) out.push('fly.toml [processes]: want a table');
    else for (const [k, v] of Object.entries(doc.processes)) if (typeof v !== 'string' || !/^[a-z0-9_-]+$/.test(k)) out.push(`fly.toml [processes] ${k}: a lower-case name and a command string`);
  }
  const groups = isObject(doc.processes) ? Object.keys(doc.processes) : ['app'];
  if (doc.http_service !== undefined) {
    const h = doc.http_service;
    out.push(...keys(h, 'fly.toml [http_service]', FLY_HTTP, ['internal_port']));
    if (isObject(h)) {
      out.push(...int(h.internal_port, 'fly.toml [http_service] internal_port', 1, 65535));
      if (h.auto_stop_machines !== undefined) out.push(...oneOf(h.auto_stop_machines, 'fly.toml [http_service] auto_stop_machines', ['off', 'stop', 'suspend', true, false]));
      if (h.auto_start_machines !== undefined && typeof h.auto_start_machines !== 'boolean') out.push('fly.toml [http_service] auto_start_machines: want true or false');
      if (h.processes !== undefined) {
        if (!list(h.processes, '')) out.push('fly.toml [http_service] processes: want a list');
        else for (const p of h.processes) if (!groups.includes(p as string)) out.push(`fly.toml [http_service] processes: "${String(p)}" is no process group`);
      }
      (list(h.checks, '') ? h.checks : []).forEach((c, i) => {
        const at = `fly.toml [[http_service.checks]][${i}]`;
        out.push(...keys(c, at, FLY_CHECK));
        if (!isObject(c)) return;
        for (const d of ['grace_period', 'interval', 'timeout'] as const) if (c[d] !== undefined) out.push(...duration(c[d], `${at} ${d}`));
        if (c.method !== undefined) out.push(...oneOf(String(c.method).toUpperCase(), `${at} method`, ['GET', 'HEAD', 'POST']));
        if (c.path !== undefined && !(typeof c.path === 'string' && c.path.startsWith('/'))) out.push(`${at} path: a path starting with /`);
      });
    }
  }
  (list(doc.vm, '') ? doc.vm : doc.vm === undefined ? [] : [doc.vm]).forEach((v, i) => out.push(...keys(v, `fly.toml [[vm]][${i}]`, FLY_VM)));
  return out;
}
