/**
 * Load benchmark of `tradescope serve` on loopback with autocannon: throughput and p50/p99 latency for a cached
 * headline query and for uncached drill-downs (every request a different spec), and the server's memory over
 * the cached run. The server runs in its own process (the CLI, as a user starts it) on a store built from the
 * bundled data; autocannon runs in this process.
 *
 *   npm run bench:load                         # 60 s cached run, 20 s drill-down run
 *   node dist/bench/load.js --cached-seconds 10 --drill-seconds 5 --connections 10 --drill-connections 1
 *
 * Drill-downs run on one connection by default: the server answers store queries one at a time (one embedded
 * connection), so more connections only add queueing to their latency, not throughput.
 *
 * Goals (issue 6): cached headline ≥ 500 req/s with p99 < 100 ms on a 2-core machine; memory flat over 60 s.
 * Results go to bench/results/load.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BUNDLED } from '../src/cli/commands/demo.js';
import { openStore } from '../src/cli/open-store.js';
import { ingestFile } from '../src/ingest/ingest.js';
import { dataPath, mappingPath, packageRoot } from '../src/util/paths.js';

interface Args {
  cachedSeconds: number;
  drillSeconds: number;
  connections: number;
  drillConnections: number;
  out: string;
}

function args(argv: string[]): Args {
  const get = (flag: string, dflt: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
  };
  return {
    cachedSeconds: Number(get('--cached-seconds', '60')),
    drillSeconds: Number(get('--drill-seconds', '20')),
    connections: Number(get('--connections', '10')),
    drillConnections: Number(get('--drill-connections', '1')),
    out: get('--out', join(packageRoot, 'bench', 'results', 'load.json')),
  };
}

async function buildStore(path: string): Promise<void> {
  const store = await openStore(path);
  try {
    for (const b of BUNDLED) {
      await ingestFile(store, dataPath(...b.file), {
        format: b.format,
        ...(b.mapping ? { mapping: mappingPath(b.mapping) } : {}),
        stagingBase: path,
      });
    }
  } finally {
    await store.close();
  }
}

const TOKEN = 'bench-load';

async function startServer(db: string, nodeArgs: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(packageRoot, 'bin', 'tradescope.js'),
      'serve',
      '--db',
      db,
      '--port',
      '0',
      '--quiet',
      '--token',
      TOKEN,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /dashboard (http:\/\/[^\s]+)\//.exec(text);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${text}`)));
  });
  child.stderr!.resume();
  return { child, url };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** RSS from /proc and the V8 heap from the admin stats endpoint, once a second while `work` runs. */
async function sampled<T>(
  pid: number,
  url: string,
  work: Promise<T>,
): Promise<{ result: T; samples: { t: number; rssMiB: number; heapUsedMiB: number | null }[] }> {
  const samples: { t: number; rssMiB: number; heapUsedMiB: number | null }[] = [];
  const t0 = Date.now();
  const sample = async () => {
    let heap: number | null = null;
    try {
      const r = await fetch(`${url}/api/admin/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
      heap = Math.round((((await r.json()) as { memory: { heapUsed: number } }).memory.heapUsed / 2 ** 20) * 10) / 10;
    } catch {
      heap = null;
    }
    samples.push({ t: Math.round((Date.now() - t0) / 1000), rssMiB: rssMiB(pid), heapUsedMiB: heap });
  };
  await sample();
  const timer = setInterval(() => void sample(), 1000);
  const result = await work;
  clearInterval(timer);
  await sample();
  return { result, samples };
}

function memorySummary(samples: { t: number; rssMiB: number; heapUsedMiB: number | null }[], seconds: number) {
  const warm = samples.filter((m) => m.t >= seconds * 0.1);
  const first = warm[0]?.rssMiB ?? samples[0]!.rssMiB;
  const last = samples.at(-1)!.rssMiB;
  const heaps = samples.map((m) => m.heapUsedMiB).filter((x): x is number => x !== null);
  return {
    startMiB: samples[0]!.rssMiB,
    afterWarmupMiB: first,
    endMiB: last,
    maxMiB: Math.max(...samples.map((m) => m.rssMiB)),
    growthAfterWarmupMiB: Math.round((last - first) * 10) / 10,
    heapUsedMiB: { min: Math.min(...heaps), max: Math.max(...heaps), end: heaps.at(-1) ?? null },
    samples,
  };
}

function summary(r: autocannon.Result) {
  return {
    requests: r.requests.total,
    reqPerSec: Math.round(r.requests.average),
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: Math.round(r.latency.mean * 100) / 100,
    },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

const CAP_MIB = 160;

const HEADLINE =
  '/api/query?reporter=CHN&period=ytd:2025-06&compare=yoy&measure=value,balance&dataset=gacc-region-monthly';

/** Distinct drill-downs: China's exports by partner for one year (1991–2020) and one top-N (1–60). */
function drillPaths(): string[] {
  const paths: string[] = [];
  for (let top = 1; top <= 60; top++)
    for (let year = 1991; year <= 2020; year++)
      paths.push(
        `/api/query?reporter=CHN&period=${year}&flow=X&by=partner&measure=value,share&top=${top}&dataset=imf-dots-china-exports`,
      );
  // a fixed shuffle so consecutive requests do not share windows
  let s = 7;
  for (let i = paths.length - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [paths[i], paths[j]] = [paths[j]!, paths[i]!];
  }
  return paths;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'tradescope-load-'));
  const db = join(dir, 'bundled.duckdb');
  process.stderr.write('building the store from the bundled data…\n');
  await buildStore(db);
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const { child, url } = await startServer(db);
  try {
    // warm: the headline once (cached from then on), and the first store reads
    const warm = await fetch(url + HEADLINE);
    if (warm.status !== 200) throw new Error(`headline query failed: ${warm.status} ${await warm.text()}`);
    await (
      await fetch(`${url}/api/query?reporter=CHN&period=2019&flow=X&by=partner&dataset=imf-dots-china-exports`)
    ).text();

    process.stderr.write(`cached headline: ${a.cachedSeconds} s, ${a.connections} connections…\n`);
    const run = await sampled(
      child.pid!,
      url,
      autocannon({ url: url + HEADLINE, connections: a.connections, duration: a.cachedSeconds }),
    );
    const cached = run.result;
    const memory = memorySummary(run.samples, a.cachedSeconds);

    process.stderr.write(`uncached drill-downs: ${a.drillSeconds} s, ${a.drillConnections} connection(s)…\n`);
    const paths = drillPaths();
    let next = 0;
    const drill = await autocannon({
      url,
      connections: a.drillConnections,
      duration: a.drillSeconds,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
    });
    const distinct = Math.min(next, paths.length);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    // the same cached run on a server whose V8 old space is capped: if RSS growth above is garbage the
    // collector has not yet needed to reclaim (not a leak), the capped server stays flat
    process.stderr.write(`cached headline again, server with --max-old-space-size=${CAP_MIB}…\n`);
    const capped = await startServer(db, [`--max-old-space-size=${CAP_MIB}`]);
    await (await fetch(capped.url + HEADLINE)).text();
    const runCapped = await sampled(
      capped.child.pid!,
      capped.url,
      autocannon({ url: capped.url + HEADLINE, connections: a.connections, duration: a.cachedSeconds }),
    );
    const memoryCapped = memorySummary(runCapped.samples, a.cachedSeconds);
    capped.child.kill('SIGTERM');
    await new Promise((r) => capped.child.once('exit', r));

    const cpu = cpus();
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpu.length,
        model: cpu[0]?.model ?? '',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        /** 1/5/15-minute load averages before and after: other work on the machine shares the two cores. */
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      },
      setup: {
        store: 'bundled data (tradescope demo datasets), DuckDB',
        server: 'tradescope serve --quiet (own process, loopback)',
        connections: a.connections,
        drillConnections: a.drillConnections,
        cachedSeconds: a.cachedSeconds,
        drillSeconds: a.drillSeconds,
      },
      cachedHeadline: { path: HEADLINE, ...summary(cached) },
      uncachedDrilldown: {
        path: 'reporter=CHN&period=<1991..2020>&flow=X&by=partner&measure=value,share&top=<1..60>&dataset=imf-dots-china-exports',
        distinctSpecs: distinct,
        allDistinct: next <= paths.length,
        ...summary(drill),
      },
      memory: {
        note: 'server RSS (from /proc) and V8 heapUsed (admin stats) once a second during the cached runs',
        default: memory,
        cappedOldSpace: {
          nodeFlag: `--max-old-space-size=${CAP_MIB}`,
          reqPerSec: Math.round(runCapped.result.requests.average),
          p99Ms: runCapped.result.latency.p99,
          errors: runCapped.result.errors,
          ...memoryCapped,
        },
      },
      goals: {
        cachedReqPerSec: { goal: '>= 500', met: cached.requests.average >= 500 },
        cachedP99Ms: { goal: '< 100', met: cached.latency.p99 < 100 },
        memoryFlatDefault: {
          goal: 'RSS growth after warm-up < 10 %',
          met: memory.growthAfterWarmupMiB < memory.afterWarmupMiB * 0.1,
        },
        memoryFlatCapped: {
          goal: 'RSS growth after warm-up < 10 %',
          met: memoryCapped.growthAfterWarmupMiB < memoryCapped.afterWarmupMiB * 0.1,
        },
      },
    };
    mkdirSync(join(a.out, '..'), { recursive: true });
    writeFileSync(a.out, `${JSON.stringify(result, null, 2)}\n`);
    const c = result.cachedHeadline;
    const d = result.uncachedDrilldown;
    process.stdout.write(
      [
        `machine: ${result.machine.cpus} cores (${result.machine.model}), node ${result.machine.node}, load average ${loadBefore.join(' ')} before`,
        `cached headline   ${String(c.reqPerSec).padStart(6)} req/s  p50 ${c.latencyMs.p50} ms  p99 ${c.latencyMs.p99} ms  (${c.requests} requests, ${c.non2xx} non-2xx, ${c.errors} errors)`,
        `uncached drill    ${String(d.reqPerSec).padStart(6)} req/s  p50 ${d.latencyMs.p50} ms  p99 ${d.latencyMs.p99} ms  (${d.requests} requests, ${d.distinctSpecs} distinct specs, ${d.non2xx} non-2xx)`,
        `server RSS        after warm-up ${memory.afterWarmupMiB} MiB, end ${memory.endMiB} MiB; V8 heapUsed ${memory.heapUsedMiB.min}–${memory.heapUsedMiB.max} MiB`,
        `capped old space  RSS after warm-up ${memoryCapped.afterWarmupMiB} MiB, end ${memoryCapped.endMiB} MiB; heapUsed ${memoryCapped.heapUsedMiB.min}–${memoryCapped.heapUsedMiB.max} MiB; ${Math.round(runCapped.result.requests.average)} req/s, p99 ${runCapped.result.latency.p99} ms`,
        `goals: ≥500 req/s ${result.goals.cachedReqPerSec.met ? 'met' : 'NOT met'}; p99 < 100 ms ${result.goals.cachedP99Ms.met ? 'met' : 'NOT met'}; memory flat: default ${result.goals.memoryFlatDefault.met ? 'met' : 'NOT met'}, capped ${result.goals.memoryFlatCapped.met ? 'met' : 'NOT met'}`,
        `written to ${a.out}`,
        '',
      ].join('\n'),
    );
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
