/**
 * A simulation of the bookkeeping an API server, its controllers and a scheduler do for the commands of the
 * generated README (`kubectl create namespace`, `apply -k [-l]`, `delete job`, `wait`, `rollout status`, `logs`;
 * `docker build`/`push` against a registry; `cp`), strict where a cluster is:
 * - an object of a kind the cluster does not serve (a CRD not installed) is refused, as is one in a namespace that
 *   does not exist; a Job's pod template and a claim's spec cannot change; `-l` selects as kubectl does;
 * - a pod is schedulable only when every claim, ConfigMap, Secret and service account it references was applied
 *   before it, each claim binds (its access modes offered by the storage class; a ReadWriteOnce claim is mounted by
 *   one pod at a time) and its image was pushed;
 * - a Job that cannot run, or whose pod fails, never completes: `kubectl wait` on it fails;
 * - a Deployment whose pods cannot start never finishes its rollout: `kubectl rollout status` fails;
 * - and the invariant of a release: no Deployment's pods start on an image whose release Job has not completed
 *   (they would serve an unmigrated database).
 * Pods run through a `Kubelet`: in `npm test` one that only says yes or no, in the e2e suite the real processes.
 * Commands run as a shell a user pastes them into would: each line on its own, `&&`/`||` as the shell does; a block
 * that ends in failure stops the sequence (the user reads the error).
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { K8sObject } from './policy.js';
import type { AndOr, Block } from './readme.js';
import { matches, parseSelector } from './selector.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Kubelet {
  /** Runs the Job's pod to its end: did it exit 0? */
  job(job: K8sObject): Promise<boolean>;
  /** Starts a Deployment's pods: did they become ready? */
  deployment(deployment: K8sObject): Promise<boolean>;
}

/** The default storage class of EKS, GKE and DigitalOcean: block storage, one node at a time. */
export const COMMON_STORAGE: Readonly<Record<string, readonly string[]>> = { standard: ['ReadWriteOnce', 'ReadWriteOncePod'] };

/** A kubelet whose pods always succeed (the bookkeeping alone decides). */
export const YES_KUBELET: Kubelet = { job: async () => true, deployment: async () => true };

export interface ClusterOptions {
  /** Where `cp` and `docker build` run: the project directory. */
  cwd: string;
  /** `kubectl kustomize <dir>`, parsed. */
  kustomize(dir: string): Promise<K8sObject[]>;
  /** API groups whose CRDs are installed (none by default: a fresh cluster). */
  crds?: readonly string[];
  /**
   * Storage classes and the access modes each provisions; a claim without storageClassName gets the first.
   * By default what EKS (gp2/gp3), GKE (standard-rwo) and DigitalOcean (do-block-storage) offer: ReadWriteOnce.
   */
  storageClasses?: Readonly<Record<string, readonly string[]>>;
  kubelet?: Kubelet;
  /** The user's edit after `cp SRC DST` (the README says: fill it in). */
  onCopied?(dst: string): void;
  /** The user's edit after `docker push REF` (the README says: name it in the overlay). */
  onPushed?(ref: string): void;
}

/** Kinds a cluster serves without CRDs: group/version, namespaced? */
interface KindInfo {
  apiVersion: string;
  namespaced: boolean;
  /** How kubectl names it in output: `deployment.apps`. */
  resource: string;
}
const kind = (apiVersion: string, resource: string, namespaced = true): KindInfo => ({ apiVersion, resource, namespaced });
const BUILT_IN: Record<string, KindInfo> = {
  Namespace: kind('v1', 'namespace', false),
  ConfigMap: kind('v1', 'configmap'),
  Secret: kind('v1', 'secret'),
  ServiceAccount: kind('v1', 'serviceaccount'),
  PersistentVolumeClaim: kind('v1', 'persistentvolumeclaim'),
  Service: kind('v1', 'service'),
  Deployment: kind('apps/v1', 'deployment.apps'),
  Job: kind('batch/v1', 'job.batch'),
  HorizontalPodAutoscaler: kind('autoscaling/v2', 'horizontalpodautoscaler.autoscaling'),
  PodDisruptionBudget: kind('policy/v1', 'poddisruptionbudget.policy'),
  Ingress: kind('networking.k8s.io/v1', 'ingress.networking.k8s.io'),
};
/** Kinds a CRD adds, by API group. */
const CRD_KINDS: Record<string, Record<string, KindInfo>> = {
  'keda.sh': {
    ScaledObject: kind('keda.sh/v1alpha1', 'scaledobject.keda.sh'),
    TriggerAuthentication: kind('keda.sh/v1alpha1', 'triggerauthentication.keda.sh'),
  },
};

interface Stored {
  obj: K8sObject;
  /** When it was applied (a sequence number). */
  at: number;
}

export interface Applied {
  kind: string;
  namespace: string;
  name: string;
  obj: K8sObject;
  action: 'created' | 'configured';
}

interface Result {
  code: number;
  out: string[];
}

export interface Outcome {
  ok: boolean;
  /** The command list whose failure stopped the sequence. */
  stoppedAt?: string;
  /** What a terminal would show: `$ command` and its output. */
  transcript: string;
}

const key = (kind: string, ns: string, name: string) => `${kind}/${ns}/${name}`;
const podSpec = (o: K8sObject) => o.spec.template.spec;

export class Cluster {
  readonly namespaces = new Set<string>();
  readonly objects = new Map<string, Stored>();
  /** Every creation and change, in order: what a kubelet then runs. */
  readonly applied: Applied[] = [];
  /** Broken invariants (a rollout onto an unmigrated database, ...): a test expects none. */
  readonly violations: string[] = [];
  readonly transcript: string[] = [];
  private readonly built = new Set<string>();
  private readonly pushed = new Set<string>();
  /** Images whose release Job completed. */
  private readonly migrated = new Set<string>();
  private readonly jobs = new Map<string, { complete: boolean; reason: string }>();
  private readonly rollouts = new Map<string, { ready: boolean; reason: string }>();
  private seq = 0;
  private readonly kinds: Record<string, KindInfo>;

  constructor(private readonly o: ClusterOptions) {
    this.kinds = { ...BUILT_IN, ...Object.assign({}, ...(o.crds ?? []).map((g) => CRD_KINDS[g] ?? {})) };
  }

  /** Runs the blocks in order; a block whose last command list fails stops the sequence. */
  async runBlocks(blocks: readonly Block[]): Promise<Outcome> {
    for (const b of blocks) {
      let last = 0;
      for (const list of b.lists) {
        last = await this.runList(list);
      }
      if (last !== 0) return { ok: false, stoppedAt: b.lists.at(-1)!.text, transcript: this.transcript.join('\n') };
    }
    return { ok: true, transcript: this.transcript.join('\n') };
  }

  /** One `a && b || c` list, with the shell's short-circuit. */
  async runList(list: AndOr): Promise<number> {
    let status = await this.run(list.first);
    for (const { op, argv } of list.rest) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      status = await this.run(argv);
    }
    return status;
  }

  async run(argv: readonly string[]): Promise<number> {
    this.transcript.push(`$ ${argv.join(' ')}`);
    // A kubelet's failure (the e2e suite's real processes) is the test's to report: not caught here.
    const r = await this.dispatch(argv);
    this.transcript.push(...r.out);
    return r.code;
  }

  private async dispatch(argv: readonly string[]): Promise<Result> {
    const [cmd, ...args] = argv;
    if (cmd === 'kubectl') return this.kubectl(args);
    if (cmd === 'docker') return this.docker(args);
    if (cmd === 'cp') return this.cp(args);
    return { code: 127, out: [`${cmd}: the simulation does not know this command`] };
  }

  // ---- docker and cp -------------------------------------------------------------------------------------------

  private docker(args: readonly string[]): Result {
    const [sub, ...rest] = args;
    if (sub === 'build') {
      const tags: string[] = [];
      const positional: string[] = [];
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '-t' || rest[i] === '--tag') tags.push(rest[++i]!);
        else if (rest[i]!.startsWith('-')) return { code: 125, out: [`unknown flag: ${rest[i]}`] };
        else positional.push(rest[i]!);
      }
      if (positional.length !== 1) return { code: 1, out: ['"docker build" requires exactly 1 argument'] };
      const context = path.resolve(this.o.cwd, positional[0]!);
      if (!existsSync(path.join(context, 'Dockerfile'))) return { code: 1, out: [`failed to read dockerfile: open ${context}/Dockerfile: no such file or directory`] };
      for (const t of tags) this.built.add(t);
      return { code: 0, out: tags.map((t) => `naming to ${t} done`) };
    }
    if (sub === 'push' && rest.length === 1) {
      if (!this.built.has(rest[0]!)) return { code: 1, out: [`An image does not exist locally with the tag: ${rest[0]}`] };
      this.pushed.add(rest[0]!);
      this.o.onPushed?.(rest[0]!);
      return { code: 0, out: [`${rest[0]}: pushed`] };
    }
    return { code: 1, out: [`docker ${args.join(' ')}: the simulation does not know this command`] };
  }

  private cp(args: readonly string[]): Result {
    if (args.length !== 2 || args.some((a) => a.startsWith('-'))) return { code: 1, out: [`cp ${args.join(' ')}: the simulation copies one file to one path`] };
    const [src, dst] = args.map((a) => path.resolve(this.o.cwd, a)) as [string, string];
    if (!existsSync(src)) return { code: 1, out: [`cp: cannot stat '${args[0]}': No such file or directory`] };
    const target = existsSync(dst) && statSync(dst).isDirectory() ? path.join(dst, path.basename(src)) : dst;
    if (!existsSync(path.dirname(target))) return { code: 1, out: [`cp: cannot create regular file '${args[1]}': No such file or directory`] };
    copyFileSync(src, target);
    this.o.onCopied?.(target);
    return { code: 0, out: [] };
  }

  // ---- kubectl ------------------------------------------------------------------------------------------------

  private async kubectl(args: readonly string[]): Promise<Result> {
    // Global flags may stand anywhere; the rest is the verb and its own flags.
    let namespace: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-n' || a === '--namespace') namespace = args[++i];
      else if (a.startsWith('--namespace=')) namespace = a.slice('--namespace='.length);
      else rest.push(a);
    }
    const [verb, ...more] = rest;
    const { flags, positional } = parseFlags(more);
    switch (verb) {
      case 'create':
        if (positional[0] === 'namespace' && positional.length === 2 && !Object.keys(flags).length) return this.createNamespace(positional[1]!);
        break;
      case 'apply':
        if (positional.length === 0 && typeof flags.k === 'string' && Object.keys(flags).every((f) => f === 'k' || f === 'l')) {
          return this.apply(flags.k, typeof flags.l === 'string' ? flags.l : undefined, namespace);
        }
        break;
      case 'delete':
        if (positional.length === 2 && Object.keys(flags).every((f) => f === 'ignore-not-found')) return this.delete(positional[0]!, positional[1]!, namespace ?? 'default', flags['ignore-not-found'] === true);
        if (positional.length === 1 && positional[0]!.includes('/') && Object.keys(flags).every((f) => f === 'ignore-not-found')) {
          const [kind, name] = positional[0]!.split('/') as [string, string];
          return this.delete(kind, name, namespace ?? 'default', flags['ignore-not-found'] === true);
        }
        break;
      case 'wait':
        if (positional.length === 1 && typeof flags.for === 'string' && Object.keys(flags).every((f) => f === 'for' || f === 'timeout')) {
          return this.wait(positional[0]!, flags.for, namespace ?? 'default', flags.timeout);
        }
        break;
      case 'rollout':
        if (positional[0] === 'status' && positional.length === 2 && Object.keys(flags).every((f) => f === 'timeout')) return this.rolloutStatus(positional[1]!, namespace ?? 'default');
        break;
      case 'logs':
        if (positional.length === 1 && !Object.keys(flags).length) return this.logs(positional[0]!, namespace ?? 'default');
        break;
    }
    return { code: 1, out: [`kubectl ${args.join(' ')}: the simulation does not know this command`] };
  }

  private createNamespace(name: string): Result {
    if (this.namespaces.has(name)) return { code: 1, out: [`Error from server (AlreadyExists): namespaces "${name}" already exists`] };
    this.namespaces.add(name);
    // The service account controller gives every namespace its default ServiceAccount.
    this.store({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } } as K8sObject, name);
    return { code: 0, out: [`namespace/${name} created`] };
  }

  private store(obj: K8sObject, ns: string): void {
    this.objects.set(key(obj.kind, ns, obj.metadata.name), { obj, at: ++this.seq });
  }

  private get(kind: string, ns: string, name: string): Stored | undefined {
    return this.objects.get(key(kind, ns, name));
  }

  private async apply(dir: string, selector: string | undefined, namespaceFlag: string | undefined): Promise<Result> {
    const abs = path.resolve(this.o.cwd, dir);
    let objects: K8sObject[];
    try {
      objects = await this.o.kustomize(abs);
    } catch (e) {
      return { code: 1, out: [`error: ${(e as Error).message.split('\n').find((l) => l.startsWith('Error')) ?? (e as Error).message}`] };
    }
    if (selector !== undefined) {
      try {
        const reqs = parseSelector(selector);
        objects = objects.filter((o) => matches(reqs, o.metadata.labels ?? {}));
      } catch (e) {
        return { code: 1, out: [`error: ${(e as Error).message}`] };
      }
    }
    if (!objects.length) return { code: 1, out: ['error: no objects passed to apply'] };
    const out: string[] = [];
    let code = 0;
    const started: { kind: 'Job' | 'Deployment'; ns: string; obj: K8sObject }[] = [];
    for (const obj of objects) {
      const info = this.kinds[obj.kind];
      const ns = obj.metadata.namespace ?? namespaceFlag ?? 'default';
      const group = obj.apiVersion;
      if (!info || info.apiVersion !== group) {
        out.push(`error: resource mapping not found for name: "${obj.metadata.name}" namespace: "${ns}" from "${dir}": no matches for kind "${obj.kind}" in version "${group}"`, 'ensure CRDs are installed first');
        code = 1;
        continue;
      }
      if (info.namespaced && namespaceFlag && obj.metadata.namespace && namespaceFlag !== obj.metadata.namespace) {
        return { code: 1, out: [`error: the namespace from the provided object "${obj.metadata.namespace}" does not match the namespace "${namespaceFlag}". You must pass '--namespace=${obj.metadata.namespace}' to perform this operation.`] };
      }
      if (info.namespaced && !this.namespaces.has(ns)) {
        out.push(`Error from server (NotFound): error when creating "${dir}": namespaces "${ns}" not found`);
        code = 1;
        continue;
      }
      const name = `${info.resource}/${obj.metadata.name}`;
      const existing = this.get(obj.kind, ns, obj.metadata.name);
      if (existing && isDeepStrictEqual(withoutStatus(existing.obj), withoutStatus(obj))) {
        out.push(`${name} unchanged`);
        continue;
      }
      const immutable = existing && immutableChange(existing.obj, obj);
      if (immutable) {
        out.push(`The ${obj.kind} "${obj.metadata.name}" is invalid: ${immutable}: field is immutable`);
        code = 1;
        continue;
      }
      this.store(obj, ns);
      this.applied.push({ kind: obj.kind, namespace: ns, name: obj.metadata.name, obj, action: existing ? 'configured' : 'created' });
      out.push(`${name} ${existing ? 'configured' : 'created'}`);
      // A Job starts a pod when created; a Deployment rolls out when its pod template changes.
      if (obj.kind === 'Job' && !existing) started.push({ kind: 'Job', ns, obj });
      if (obj.kind === 'Deployment' && (!existing || !isDeepStrictEqual(existing.obj.spec.template, obj.spec.template))) started.push({ kind: 'Deployment', ns, obj });
      if (obj.kind === 'ScaledObject') {
        // KEDA refuses a workload another autoscaler already drives.
        const target = obj.spec.scaleTargetRef?.name;
        const hpa = this.live('HorizontalPodAutoscaler').find((h) => (h.metadata.namespace ?? ns) === ns && h.spec.scaleTargetRef?.name === target);
        if (hpa) this.violations.push(`ScaledObject ${obj.metadata.name}: the HorizontalPodAutoscaler ${hpa.metadata.name} already scales ${target} (KEDA: "the workload is already managed by the hpa")`);
      }
      if (obj.kind === 'TriggerAuthentication') {
        for (const ref of obj.spec.secretTargetRef ?? []) {
          if (!this.secretHas(ns, ref.name, ref.key)) this.violations.push(`TriggerAuthentication ${obj.metadata.name}: Secret ${ref.name} (key ${ref.key}) was not applied before it`);
        }
      }
    }
    // The controllers and the scheduler, once the objects are in (a pod counts only what was applied before it).
    for (const s of started) {
      const k = key(s.kind, s.ns, s.obj.metadata.name);
      const problem = this.unschedulable(s.obj, s.ns);
      const image = podSpec(s.obj).containers[0].image as string;
      if (s.kind === 'Job') {
        if (problem) this.jobs.set(k, { complete: false, reason: `its pod is Pending: ${problem}` });
        else {
          const ok = await (this.o.kubelet ?? YES_KUBELET).job(s.obj);
          this.jobs.set(k, { complete: ok, reason: ok ? '' : 'its pod failed (BackoffLimitExceeded)' });
          if (ok) this.migrated.add(image);
        }
      } else {
        if (problem) {
          this.rollouts.set(k, { ready: false, reason: `its new pods are Pending: ${problem}` });
          continue;
        }
        if (!this.migrated.has(image)) {
          this.violations.push(`Deployment ${s.obj.metadata.name} started pods of ${image} before a release Job of that image completed: they serve an unmigrated database`);
        }
        const ok = await (this.o.kubelet ?? YES_KUBELET).deployment(s.obj);
        this.rollouts.set(k, { ready: ok, reason: ok ? '' : 'its new pods never became ready' });
      }
    }
    return { code, out };
  }

  private secretHas(ns: string, name: string, k?: string): boolean {
    const s = this.get('Secret', ns, name);
    return !!s && (k === undefined || Object.hasOwn(s.obj.data ?? {}, k) || Object.hasOwn((s.obj as any).stringData ?? {}, k));
  }

  /** Why a pod of this workload cannot be scheduled and started, or undefined. */
  unschedulable(owner: K8sObject, ns: string): string | undefined {
    const spec = podSpec(owner);
    const at = this.get(owner.kind, ns, owner.metadata.name)!.at;
    const before = (kind: string, name: string) => {
      const s = this.get(kind, ns, name);
      return s !== undefined && s.at < at ? s : undefined;
    };
    const sa = spec.serviceAccountName ?? 'default';
    if (!before('ServiceAccount', sa)) return `serviceaccount "${sa}" not found`;
    for (const v of spec.volumes ?? []) {
      if (v.persistentVolumeClaim) {
        const claim = before('PersistentVolumeClaim', v.persistentVolumeClaim.claimName);
        if (!claim) return `persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" not found`;
        const unbound = this.claimProblem(claim.obj, ns);
        if (unbound) return unbound;
      }
      if (v.configMap && !v.configMap.optional && !before('ConfigMap', v.configMap.name)) return `configmap "${v.configMap.name}" not found`;
      if (v.secret && !v.secret.optional && !before('Secret', v.secret.secretName)) return `secret "${v.secret.secretName}" not found`;
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !from.configMapRef.optional && !before('ConfigMap', from.configMapRef.name)) return `configmap "${from.configMapRef.name}" not found (CreateContainerConfigError)`;
        if (from.secretRef && !from.secretRef.optional && !before('Secret', from.secretRef.name)) return `secret "${from.secretRef.name}" not found (CreateContainerConfigError)`;
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const sk = e.valueFrom?.secretKeyRef;
        if (cm && !cm.optional && !Object.hasOwn(before('ConfigMap', cm.name)?.obj.data ?? {}, cm.key)) return `configmap "${cm.name}" key ${cm.key} not found`;
        if (sk && !sk.optional && !Object.hasOwn(before('Secret', sk.name)?.obj.data ?? {}, sk.key)) return `secret "${sk.name}" key ${sk.key} not found`;
      }
      if (!this.pushed.has(c.image)) return `image ${c.image} was never pushed (ErrImagePull)`;
    }
    for (const s of spec.imagePullSecrets ?? []) if (!before('Secret', s.name)) return `image pull secret "${s.name}" not found`;
    return undefined;
  }

  /** A claim that cannot bind, or that more pods would mount than its access mode allows. */
  private claimProblem(claim: K8sObject, ns: string): string | undefined {
    const classes = this.o.storageClasses ?? COMMON_STORAGE;
    const className: string = claim.spec.storageClassName ?? Object.keys(classes)[0]!;
    const offered = classes[className];
    if (!offered) return `persistentvolumeclaim "${claim.metadata.name}" is Pending: storageclass "${className}" not found`;
    const modes: string[] = claim.spec.accessModes ?? [];
    const missing = modes.filter((m) => !offered.includes(m));
    if (missing.length) return `persistentvolumeclaim "${claim.metadata.name}" is Pending: storage class ${className} does not provision ${missing.join(', ')}`;
    if (modes.some((m) => m === 'ReadWriteMany' || m === 'ReadOnlyMany')) return undefined;
    // ReadWriteOnce: one pod at a time. Every workload that mounts it, and how many pods of each may run at once.
    const users = [...this.objects.values()]
      .map((s) => s.obj)
      .filter((o) => (o.kind === 'Deployment' || o.kind === 'Job') && (o.metadata.namespace ?? ns) === ns)
      .filter((o) => (podSpec(o).volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === claim.metadata.name));
    if (users.length > 1) return `Multi-Attach error for volume "${claim.metadata.name}" (ReadWriteOnce): mounted by ${users.map((u) => `${u.kind} ${u.metadata.name}`).join(' and ')}`;
    const u = users[0];
    if (u?.kind === 'Deployment') {
      const autoscaled = [...this.objects.values()].some((s) => ['HorizontalPodAutoscaler', 'ScaledObject'].includes(s.obj.kind) && s.obj.spec.scaleTargetRef?.name === u.metadata.name);
      if (autoscaled || (u.spec.replicas ?? 1) !== 1 || u.spec.strategy?.type !== 'Recreate') {
        return `Multi-Attach error for volume "${claim.metadata.name}" (ReadWriteOnce): Deployment ${u.metadata.name} may run more than one pod at once`;
      }
    }
    return undefined;
  }

  private delete(kindArg: string, name: string, ns: string, ignoreNotFound: boolean): Result {
    const kinds: Record<string, string> = { job: 'Job', jobs: 'Job', 'job.batch': 'Job', hpa: 'HorizontalPodAutoscaler', horizontalpodautoscaler: 'HorizontalPodAutoscaler' };
    const kind = kinds[kindArg];
    if (!kind) return { code: 1, out: [`kubectl delete ${kindArg}: the simulation deletes Jobs and autoscalers only`] };
    const resource = this.kinds[kind]!.resource;
    const k = key(kind, ns, name);
    if (!this.objects.has(k)) return ignoreNotFound ? { code: 0, out: [] } : { code: 1, out: [`Error from server (NotFound): ${resource.replace(/^(\w+)/, '$1s')} "${name}" not found`] };
    this.objects.delete(k);
    this.jobs.delete(k);
    return { code: 0, out: [`${resource} "${name}" deleted`] };
  }

  private wait(target: string, condition: string, ns: string, timeout: string | boolean | undefined): Result {
    if (typeof timeout === 'string' && !/^\d+(s|m|h)?$/.test(timeout)) return { code: 1, out: [`error: invalid argument "${timeout}" for "--timeout" flag`] };
    const [kind, name] = target.split('/') as [string, string | undefined];
    if (!name || !['job', 'jobs', 'job.batch'].includes(kind) || condition.toLowerCase() !== 'condition=complete') {
      return { code: 1, out: [`kubectl wait --for=${condition} ${target}: the simulation waits for a Job to complete only`] };
    }
    const k = key('Job', ns, name);
    if (!this.objects.has(k)) return { code: 1, out: [`Error from server (NotFound): jobs.batch "${name}" not found`] };
    const j = this.jobs.get(k)!;
    if (j.complete) return { code: 0, out: [`job.batch/${name} condition met`] };
    return { code: 1, out: [`error: timed out waiting for the condition on jobs/${name} (${j.reason})`] };
  }

  private rolloutStatus(target: string, ns: string): Result {
    const [kind, name] = target.split('/') as [string, string | undefined];
    if (!name || !['deployment', 'deployments', 'deploy', 'deployment.apps'].includes(kind)) return { code: 1, out: [`kubectl rollout status ${target}: the simulation knows Deployments only`] };
    if (!this.objects.has(key('Deployment', ns, name))) return { code: 1, out: [`Error from server (NotFound): deployments.apps "${name}" not found`] };
    const r = this.rollouts.get(key('Deployment', ns, name));
    if (r?.ready) return { code: 0, out: [`deployment "${name}" successfully rolled out`] };
    return { code: 1, out: [`error: deployment "${name}" exceeded its progress deadline (${r?.reason ?? 'no pods'})`] };
  }

  private logs(target: string, ns: string): Result {
    const [kind, name] = target.split('/') as [string, string | undefined];
    if (!name || !['job', 'jobs'].includes(kind)) return { code: 1, out: [`kubectl logs ${target}: the simulation knows Jobs only`] };
    const j = this.jobs.get(key('Job', ns, name));
    if (!j) return { code: 1, out: [`Error from server (NotFound): jobs.batch "${name}" not found`] };
    if (j.reason.includes('Pending')) return { code: 1, out: [`error: timed out waiting for the pod of job/${name} to start`] };
    return { code: 0, out: [`(the release's output)`] };
  }

  /** What is in the cluster now, in the order it was applied. */
  live(kind?: string): K8sObject[] {
    return [...this.objects.values()]
      .sort((a, b) => a.at - b.at)
      .map((s) => s.obj)
      .filter((o) => !kind || o.kind === kind);
  }

  rolledOut(ns: string, name: string): boolean {
    return this.rollouts.get(key('Deployment', ns, name))?.ready === true;
  }

  jobComplete(ns: string, name: string): boolean {
    return this.jobs.get(key('Job', ns, name))?.complete === true;
  }
}

/** `--flag value`, `--flag=value`, `-k dir`, `-l sel`, boolean `--flag`. */
function parseFlags(args: readonly string[]): { flags: Record<string, string | boolean>; positional: string[] } {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  const takesValue = new Set(['k', 'l', 'for', 'timeout', 'f', 'kustomize', 'selector']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      positional.push(a);
      continue;
    }
    const name = { kustomize: 'k', selector: 'l' }[m[1]!] ?? m[1]!;
    if (m[2] !== undefined) flags[name] = m[2];
    else if (takesValue.has(name)) flags[name] = args[++i] ?? '';
    else flags[name] = true;
  }
  return { flags, positional };
}

function withoutStatus(o: K8sObject): unknown {
  const { status: _status, ...rest } = o as K8sObject & { status?: unknown };
  return rest;
}

/** The field an update may not change: a Job's pod template and selector, a claim's spec but its size, a selector. */
function immutableChange(old: K8sObject, next: K8sObject): string | undefined {
  if (old.kind === 'Job') {
    if (!isDeepStrictEqual(old.spec.template, next.spec.template)) return 'spec.template';
    if (!isDeepStrictEqual(old.spec.selector, next.spec.selector)) return 'spec.selector';
  }
  if (old.kind === 'Deployment' && !isDeepStrictEqual(old.spec.selector, next.spec.selector)) return 'spec.selector';
  if (old.kind === 'PersistentVolumeClaim') {
    const strip = (s: any) => ({ ...s, resources: undefined });
    if (!isDeepStrictEqual(strip(old.spec), strip(next.spec))) return 'spec';
  }
  return undefined;
}
