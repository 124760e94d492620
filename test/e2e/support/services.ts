/**
 * The real backing services the suite talks to, all on 127.0.0.1: a check that each is up (with
 * the command that starts it), and per-combination resources that are created and dropped:
 * a database, Redis database numbers, a RabbitMQ vhost.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv, mustRun, run, StepFailure } from './exec.js';

export type Service = 'postgresql' | 'mariadb' | 'redis' | 'rabbitmq' | 'memcached';

export const SERVICE_PORTS: Record<Service, number> = {
  postgresql: 5432,
  mariadb: 3306,
  redis: 6379,
  rabbitmq: 5672,
  memcached: 11211,
};

export const HOST = '127.0.0.1';

export function portOpen(port: number, host = HOST, ms = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Throws a failure naming every service that is not answering and how to start it. */
export async function requireServices(services: readonly Service[]): Promise<void> {
  const down: string[] = [];
  for (const s of services) if (!(await portOpen(SERVICE_PORTS[s]))) down.push(`${s} (${HOST}:${SERVICE_PORTS[s]})`);
  if (down.length) {
    throw new StepFailure(
      `needs ${down.join(', ')}, which ${down.length > 1 ? 'are' : 'is'} not running: start it with \`bash scripts/ensure-services.sh\` (as root)`,
    );
  }
}

/** Asks for a free TCP port on 127.0.0.1 from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const env = () => cleanEnv();
const opts = (cwd: string) => ({ cwd, env: env(), timeoutMs: 60_000 });

// ---------------------------------------------------------------- databases

export interface Database {
  /** DATABASE_URL for the generated project. */
  url: string;
  drop(): Promise<void>;
}

export async function createPostgres(name: string, cwd: string): Promise<Database> {
  await mustRun('createdb', ['-h', HOST, '-U', 'postgres', name], opts(cwd), `createdb ${name}`);
  return {
    url: `postgres://postgres@${HOST}:5432/${name}`,
    drop: async () => {
      for (const db of [name, `test_${name}`]) {
        await run('dropdb', ['-h', HOST, '-U', 'postgres', '--if-exists', '--force', db], opts(cwd));
      }
    },
  };
}

export async function createMariadb(name: string, cwd: string): Promise<Database> {
  const sql = (q: string) => mustRun('mariadb', ['-h', HOST, '-P', '3306', '-u', 'root', '-e', q], opts(cwd), `mariadb -e "${q}"`);
  await sql(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return {
    url: `mysql://root@${HOST}:3306/${name}`,
    drop: async () => {
      await sql(`DROP DATABASE IF EXISTS \`${name}\`; DROP DATABASE IF EXISTS \`test_${name}\``);
    },
  };
}

export function sqliteDatabase(file: string): Database {
  return { url: `sqlite:///${file}`, drop: async () => undefined };
}

// ---------------------------------------------------------------- redis

/** A tiny RESP client: enough for SELECT/FLUSHDB/PING without redis-cli. */
export function redisCommands(commands: string[][], port = 6379): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    let data = '';
    let replies = 0;
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`redis: no answer to ${JSON.stringify(commands)}`));
    });
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const c of commands) socket.write(`*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    });
    socket.setEncoding('utf8').on('data', (d: string) => {
      data += d;
      replies = data.split('\r\n').filter((l) => /^[+\-:]/.test(l)).length;
      if (replies >= commands.length) {
        socket.end();
        if (data.includes('\r\n-')) reject(new Error(`redis: ${data}`));
        else resolve(data);
      }
    });
  });
}

/**
 * Redis database numbers 1..15, handed out so that no two combinations share one, across processes too
 * (several suites may run at once on one machine): a number is taken by creating its lock file
 * exclusively; a lock whose process is gone is taken over. When all are taken, wait for one.
 */
const LOCK_DIR = path.join(os.tmpdir(), 'twelve-e2e-redis-locks');
const REDIS_WAIT_MS = 15 * 60_000;

function lockFile(n: number): string {
  return path.join(LOCK_DIR, `db-${n}.lock`);
}

function tryLock(n: number): boolean {
  try {
    writeFileSync(lockFile(n), String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const owner = Number(readFileSync(lockFile(n), 'utf8'));
  if (owner && processAlive(owner)) return false;
  rmSync(lockFile(n), { force: true }); // left by a process that died
  return tryLock(n);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function takeRedisDb(): Promise<number> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const until = Date.now() + REDIS_WAIT_MS;
  for (;;) {
    for (let n = 1; n <= 15; n++) {
      if (!tryLock(n)) continue;
      await redisCommands([['SELECT', String(n)], ['FLUSHDB']]);
      return n;
    }
    if (Date.now() > until) throw new StepFailure('no free Redis database number (1..15) for 15 minutes: other suites hold them all');
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function giveBackRedisDb(n: number): Promise<void> {
  await redisCommands([['SELECT', String(n)], ['FLUSHDB']]).catch(() => undefined);
  rmSync(lockFile(n), { force: true });
}

// ---------------------------------------------------------------- rabbitmq

export interface Vhost {
  name: string;
  drop(): Promise<void>;
}

export async function createVhost(name: string, cwd: string): Promise<Vhost> {
  const o = { ...opts(cwd), timeoutMs: 120_000 };
  await mustRun('rabbitmqctl', ['add_vhost', name], o, `rabbitmqctl add_vhost ${name}`);
  await mustRun('rabbitmqctl', ['set_permissions', '-p', name, 'guest', '.*', '.*', '.*'], o, 'rabbitmqctl set_permissions');
  return {
    name,
    drop: async () => {
      await run('rabbitmqctl', ['delete_vhost', name], o);
    },
  };
}
