/**
 * Following the generated README's Kubernetes section against the simulated cluster (cluster.ts): its steps as
 * written, the user's edits the README asks for in prose (fill in secrets.env, name the pushed image in the
 * overlay), `kubectl kustomize` for every `apply -k`. Shared by `npm test` (test/kubernetes/deploy.test.ts) and the
 * e2e `kubelet` step, which gives the cluster a kubelet that runs the real processes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { README_DEPLOY } from '../../core/features/kubernetes.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { kustomizeAsync } from './kubelet.js';
import type { K8sObject } from './policy.js';
import { readmeBlocks, type Block } from './readme.js';

export interface DeploySteps {
  /** Once per environment (secrets, namespace). */
  once: Block[];
  /** Every release (build and push, release, roll out). */
  release: Block[];
  /** Switching the worker to KEDA, where the README has it. */
  keda: Block[];
}

/** The README's deploy blocks, by the headings the README partial and this test share. */
export function deploySteps(readme: string): DeploySteps {
  const blocks = readmeBlocks(readme, README_DEPLOY.section);
  const under = (h: string) => blocks.filter((b) => b.heading === h);
  const steps = { once: under(README_DEPLOY.once), release: under(README_DEPLOY.release), keda: under(README_DEPLOY.keda) };
  if (!steps.once.length || !steps.release.length) throw new Error(`the README's "${README_DEPLOY.section}" has no sh blocks under "${README_DEPLOY.once}" and "${README_DEPLOY.release}"`);
  return steps;
}

/** Every file under a directory, for a cache key. */
function treeHash(root: string): string {
  const h = createHash('sha1');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${path.relative(root, p)}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(root);
  return h.digest('hex');
}

const cache = new Map<string, Promise<K8sObject[]>>();
/** `kubectl kustomize <dir>` (async, so projects render side by side), cached on the content of `root`. */
export function kustomizeUnder(root: string): (dir: string) => Promise<K8sObject[]> {
  return (dir) => {
    // The same content renders the same wherever it lies: projects copied per scenario share one render.
    const k = `${path.relative(root, dir)}\0${treeHash(root)}`;
    let p = cache.get(k);
    if (!p) {
      p = kustomizeAsync(dir).then((r) => r.objects);
      cache.set(k, p);
      p.catch(() => cache.delete(k));
    }
    return p.then((objects) => structuredClone(objects));
  };
}

/** What the user writes into a copied secrets file: each key of the example gets its value. */
export function fillIn(file: string, values: Readonly<Record<string, string>>): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = lines.map((l) => {
    const m = /^([A-Z][A-Z0-9_]*)=$/.exec(l);
    if (!m) return l;
    if (values[m[1]!] === undefined) throw new Error(`${path.basename(file)}: no value to fill in for ${m[1]}`);
    return `${m[1]}=${values[m[1]!]}`;
  });
  writeFileSync(file, out.join('\n'));
}

/** The README's "name it in the overlay": every overlay's `images:` entry for the base image gets the pushed name and tag. */
export function nameImage(kubernetesDir: string, baseImage: string, ref: string): void {
  const at = ref.lastIndexOf(':');
  const [newName, newTag] = at > ref.lastIndexOf('/') ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
  const overlays = path.join(kubernetesDir, 'overlays');
  for (const o of readdirSync(overlays)) {
    const file = path.join(overlays, o, 'kustomization.yaml');
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const images = doc.get('images') as { items: { get(k: string): unknown; set(k: string, v: unknown): void }[] } | undefined;
    for (const item of images?.items ?? []) {
      if (item.get('name') !== baseImage) continue;
      item.set('newName', newName);
      item.set('newTag', newTag);
    }
    writeFileSync(file, doc.toString());
  }
}

export interface UserSetup {
  /** The project directory. */
  dir: string;
  /** deploy/kubernetes inside it. */
  kubernetesDir: string;
  /** The image name the base uses (the plan's). */
  baseImage: string;
  /** The file the README copies and asks the user to fill in, and the values the user writes. */
  secretsFile: string;
  secrets: Readonly<Record<string, string>>;
}

/** A cluster wired to the user's edits and to kustomize. */
export function clusterFor(u: UserSetup, extra: Partial<ClusterOptions> = {}): Cluster {
  return new Cluster({
    cwd: u.dir,
    kustomize: kustomizeUnder(u.kubernetesDir),
    onCopied: (dst) => {
      if (path.basename(dst) === u.secretsFile) fillIn(dst, u.secrets);
    },
    onPushed: (ref) => nameImage(u.kubernetesDir, u.baseImage, ref),
    ...extra,
  });
}

/** The release blocks with another image tag, as the README's "build and push the image under a new tag" says. */
export function withTag(blocks: readonly Block[], from: string, to: string): Block[] {
  const swap = (a: string[]) => a.map((w) => w.replaceAll(from, to));
  return blocks.map((b) => ({ ...b, lists: b.lists.map((l) => ({ first: swap(l.first), rest: l.rest.map((r) => ({ ...r, argv: swap(r.argv) })), text: l.text.replaceAll(from, to) })) }));
}

/** The README's KEDA switch: uncomment the overlay's `# - <component>` line. */
export function switchOn(overlayDir: string, component: string): void {
  const file = path.join(overlayDir, 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  const line = new RegExp(`^(\\s*)# - ${component.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm');
  if (!line.test(text)) throw new Error(`${file} has no commented "- ${component}" to switch on`);
  writeFileSync(file, text.replace(line, `$1- ${component}`));
}

/** The README's "set storageClassName on the claim": the claims it names get a class that offers what they ask. */
export function nameStorageClasses(readme: string, kubernetesDir: string, className: string): string[] {
  const named = [...readme.matchAll(/Set `storageClassName` on the claim\s+`([^`]+)`/g)].map((m) => m[1]!);
  if (!named.length) return [];
  const file = path.join(kubernetesDir, 'base', 'deployments.yaml');
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const d of docs) {
    if (d.get('kind') === 'PersistentVolumeClaim' && named.includes(d.getIn(['metadata', 'name']) as string)) d.setIn(['spec', 'storageClassName'], className);
  }
  writeFileSync(file, docs.map((d) => d.toString()).join(''));
  return named;
}
