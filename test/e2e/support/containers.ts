/**
 * Building and running generated projects' images on machines without a Docker engine (issue 8):
 * scripts/ensure-containers.sh prepares the host's podman and a trixie toolbox with buildah and the
 * stand-in base images (once per suite, lazily: only the container step needs it), and
 * scripts/container-image.sh builds an image there. podman here runs with that script's configuration.
 */
import path from 'node:path';
import { PYTHON } from '../combinations.js';
import { REPO } from './context.js';
import { cleanEnv, mustRun, run, StepFailure, type Env, type RunResult } from './exec.js';

export interface ContainerTools {
  dir: string;
  /** Seconds the preparation took in this run (about one the second time). */
  seconds: number;
  images: Record<string, string>;
}

let ready: Promise<ContainerTools> | undefined;

/** Prepares (or checks) the container tools once per suite run. */
export function ensureContainers(): Promise<ContainerTools> {
  ready ??= (async () => {
    const started = Date.now();
    const r = await mustRun(
      'bash',
      [path.join(REPO, 'scripts', 'ensure-containers.sh'), PYTHON],
      { cwd: REPO, env: cleanEnv(), timeoutMs: 1_200_000 },
      'scripts/ensure-containers.sh',
    );
    const kv = Object.fromEntries(
      r.stdout
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (!kv.DIR) throw new StepFailure('scripts/ensure-containers.sh printed no DIR=', r.command, r.output);
    return { dir: kv.DIR, seconds: (Date.now() - started) / 1000, images: kv };
  })();
  return ready;
}

/** The environment podman needs for the configuration ensure-containers.sh wrote. */
export function podmanEnv(tools: ContainerTools): Env {
  return cleanEnv({
    CONTAINERS_CONF: path.join(tools.dir, 'etc', 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(tools.dir, 'etc', 'storage.conf'),
  });
}

export function podman(tools: ContainerTools, args: readonly string[], timeoutMs = 120_000): Promise<RunResult> {
  return run('podman', args, { cwd: tools.dir, env: podmanEnv(tools), timeoutMs });
}

export async function mustPodman(tools: ContainerTools, args: readonly string[], what: string, timeoutMs = 120_000): Promise<RunResult> {
  return mustRun('podman', args, { cwd: tools.dir, env: podmanEnv(tools), timeoutMs }, what);
}

/** The image script (build, remove); a failure says which. */
export function imageScript(args: readonly string[], what: string, timeoutMs = 1_200_000): Promise<RunResult> {
  return mustRun('bash', [path.join(REPO, 'scripts', 'container-image.sh'), ...args], { cwd: REPO, env: cleanEnv(), timeoutMs }, what);
}

/**
 * How a container reaches the host's services, which listen on 127.0.0.1 only: slirp4netns with the
 * host's loopback reachable at 10.0.2.2 (podman 4.3 has no pasta). The container has its own network
 * namespace and publishes its port like a bridge network does.
 */
export const CONTAINER_NETWORK = 'slirp4netns:allow_host_loopback=true';
export const HOST_FROM_CONTAINER = '10.0.2.2';

/** An environment's URLs rewritten to reach the host's services from inside a container. */
export function forContainer(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v.replaceAll('127.0.0.1', HOST_FROM_CONTAINER);
  return out;
}

/** `-e K=V` arguments. */
export function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}
