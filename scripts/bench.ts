/**
 * `npm run bench`: how long render(answers) takes, defaults and every feature on. Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { resolveAnswers } from '../core/answers.js';
import { render } from '../core/render.js';
import { loadTemplates } from '../shell/templates.js';

const RUNS = 200;

async function bench(label: string, flags: Record<string, unknown>): Promise<void> {
  const answers = await resolveAnswers({ projectName: 'bench-site', ...flags }, { yes: true });
  const templates = loadTemplates();
  render(answers, templates); // warm up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    render(answers, templates);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const files = render(answers, templates).size;
  const median = times[Math.floor(RUNS / 2)]!;
  const p95 = times[Math.floor(RUNS * 0.95)]!;
  console.log(`${label.padEnd(16)} ${String(files).padStart(3)} files  median ${median.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  (${RUNS} runs)`);
}

const start = performance.now();
loadTemplates();
console.log(`loading templates from disk: ${(performance.now() - start).toFixed(2)} ms`);
await bench('defaults', {});
await bench('everything on', { celery: true, beat: true, broker: 'rabbitmq', cache: 'memcached', database: 'mysql', server: 'granian', whitenoise: true });
