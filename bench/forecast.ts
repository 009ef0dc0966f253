/**
 * Forecasting speed: fit (with ETS model selection, Theta and the combination — the default method) and
 * forecast 18 months with 80/95 % intervals for 1,000 synthetic monthly series of 120 points.
 * Goal: under 10 s on a 2-core machine. Runs single-threaded and with worker threads (one per core) and
 * records both in bench/results/forecast.json.
 *
 * Series: seasonal multiplicative trade-like series (level × growth × season × noise, some with a level
 * shift, some additive with negative values), generated from a seeded sfc32 PRNG — no Math.random.
 *
 * Usage: `npm run bench:forecast [-- --series 1000 --length 120 --workers 2]`
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { forecast } from '../src/index.js';
import { hashSeed, Rng } from './lib/rng.js';

interface Job {
  seeds: number[];
  length: number;
}

/** One synthetic series, deterministic in its seed. */
export function syntheticSeries(seed: number, length: number): number[] {
  const r = new Rng(hashSeed(seed, 7919));
  const u = (): number => r.next();
  const normal = (): number => r.normal();
  const kind = seed % 10; // 0–6 multiplicative, 7–8 additive, 9 a balance that changes sign
  const level0 = 100 + 900 * u();
  const growth = (u() - 0.3) * 0.01;
  const amp = 0.05 + 0.2 * u();
  const phase = Math.floor(12 * u());
  const noise = 0.02 + 0.06 * u();
  const shiftAt = u() < 0.2 ? Math.floor(length * (0.5 + 0.4 * u())) : -1;
  const out: number[] = [];
  let level = level0;
  for (let t = 0; t < length; t++) {
    level *= 1 + growth + 0.01 * normal();
    if (t === shiftAt) level *= 0.8;
    const s = Math.sin((2 * Math.PI * (t + phase)) / 12);
    if (kind < 7) out.push(level * (1 + amp * s) * (1 + noise * normal()));
    else if (kind < 9) out.push(level + level0 * amp * s + level0 * noise * normal());
    else out.push(level0 * (0.1 * Math.sin(t / 15) + amp * s + noise * normal()));
  }
  return out;
}

interface JobResult {
  seconds: number;
  models: Record<string, number>;
}

function runJob(job: Job): JobResult {
  const t = process.hrtime.bigint();

  const models: Record<string, number> = {};
  for (const seed of job.seeds) {
    const f = forecast(syntheticSeries(seed, job.length), { period: 12, horizon: 18, levels: [80, 95] });
    const ets = f.model.members?.[0]?.name ?? f.model.name;
    models[ets] = (models[ets] ?? 0) + 1;
  }
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, models };
}

/** CPU seconds used by this process so far (all threads): what the work costs, whatever else runs. */
function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, dflt: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const count = arg('--series', 1000);
  const length = arg('--length', 120);
  const workers = arg('--workers', Math.min(2, availableParallelism()));
  const seeds = Array.from({ length: count }, (_, i) => i + 1);

  const loadBefore = loadavg()[0]!;
  const cpu0 = processCpu();
  const single = runJob({ seeds, length });
  const singleCpu = processCpu() - cpu0;
  process.stderr.write(`single thread: ${single.seconds.toFixed(2)} s\n`);

  const t0 = process.hrtime.bigint();
  const cpu1 = processCpu();
  const parts = Array.from({ length: workers }, (_, w) => seeds.filter((_, i) => i % workers === w));
  const results = await Promise.all(
    parts.map(
      (part) =>
        new Promise<JobResult>((resolve, reject) => {
          const worker = new Worker(fileURLToPath(import.meta.url), {
            workerData: { seeds: part, length } satisfies Job,
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const parallel = Number(process.hrtime.bigint() - t0) / 1e9;
  const parallelCpu = processCpu() - cpu1;
  process.stderr.write(`${workers} workers: ${parallel.toFixed(2)} s (wall, including worker start-up)\n`);
  const doc = {
    benchmark: 'forecast: fit with ETS selection + Theta + combination, 18-month forecast with 80/95 % intervals',
    series: count,
    length,
    goalSeconds: 10,
    singleThreadSeconds: Number(single.seconds.toFixed(3)),
    workers,
    workerSeconds: Number(parallel.toFixed(3)),
    perSeriesMs: Number(((1000 * single.seconds) / count).toFixed(2)),
    singleThreadCpuSeconds: Number(singleCpu.toFixed(3)),
    workerCpuSeconds: Number(parallelCpu.toFixed(3)),
    // on otherwise idle cores the workers' wall time is their CPU time shared over the workers
    workerSecondsIfIdle: Number((parallelCpu / workers).toFixed(3)),
    loadAverage1mBefore: Number(loadBefore.toFixed(2)),
    loadAverage1mAfter: Number(loadavg()[0]!.toFixed(2)),
    goalMet: parallel < 10,
    etsModelsChosen: single.models,
    workerModelsAgree:
      JSON.stringify(mergeCounts(results.map((r) => r.models))) === JSON.stringify(sortCounts(single.models)),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
    },
    date: new Date().toISOString().slice(0, 10),
  };
  writeFileSync('bench/results/forecast.json', `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(doc)}\n`);
}

function sortCounts(c: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1)));
}
function mergeCounts(cs: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cs) for (const [k, v] of Object.entries(c)) out[k] = (out[k] ?? 0) + v;
  return sortCounts(out);
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
} else if (!isMainThread) {
  parentPort!.postMessage(runJob(workerData as Job));
}
