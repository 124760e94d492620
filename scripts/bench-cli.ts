/**
 * `npm run bench:cli`: wall time and peak memory of the package bin as users run it (a fresh process each time):
 * `--help`, generating the defaults, generating everything on (both --skip-install --skip-git), median of several
 * runs, side by side. `-- --compare <other cli.js>` adds columns for another build (e.g. an older commit's
 * lib/shell/cli.js) measured in the same run. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const OWN = fileURLToPath(new URL('../shell/cli.js', import.meta.url));
const compareAt = process.argv.indexOf('--compare');
const BINS: [string, string][] = [['this build', OWN]];
if (compareAt > 0 && process.argv[compareAt + 1]) BINS.push(['compared', path.resolve(process.argv[compareAt + 1]!)]);

const GENERATE = ['bench-site', '--yes', '--skip-install', '--skip-git'];
const CASES: [string, string[]][] = [
  ['--help', ['--help']],
  ['generate defaults', GENERATE],
  ['generate everything on', [...GENERATE, '--database', 'mysql', '--cache', 'memcached', '--celery', '--beat', '--broker', 'rabbitmq', '--server', 'granian', '--whitenoise']],
];

// A preload that writes the child's own peak resident memory when it exits (portable, unlike /usr/bin/time).
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))",
)}`;

function once(bin: string, args: string[]): { ms: number; kb: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'twelve-bench-'));
  const rss = path.join(dir, '.rss');
  try {
    const start = performance.now();
    const run = spawnSync(process.execPath, ['--import', PRELOAD, bin, ...args], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, BENCH_RSS_FILE: rss, NO_COLOR: '1' },
    });
    const ms = performance.now() - start;
    if (run.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${String(run.stderr)}`);
    return { ms, kb: Number(readFileSync(rss, 'utf8')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const baseline = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }); // warm the file cache
void baseline;
const header = ['case'.padEnd(24), ...BINS.map(([label]) => `${label}: wall, peak RSS`.padStart(30))].join('');
console.log(`median of ${RUNS} runs, Node ${process.version}`);
console.log(header);
const emptyRuns = Array.from({ length: RUNS }, () => {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return performance.now() - start;
});
for (const [label, args] of CASES) {
  const cells = BINS.map(([, bin]) => {
    once(bin, args); // warm up (Node's compile cache, the file cache)
    const runs = Array.from({ length: RUNS }, () => once(bin, args));
    return `${median(runs.map((r) => r.ms)).toFixed(0)} ms, ${(median(runs.map((r) => r.kb)) / 1024).toFixed(0)} MiB`.padStart(30);
  });
  console.log(`${label.padEnd(24)}${cells.join('')}`);
}
console.log(`(an empty \`node -e ""\` takes ${median(emptyRuns).toFixed(0)} ms here)`);
