/**
 * `tradescope serve` and the CLI on one DuckDB store (issue 15, section 1), as real processes: readers beside the
 * server, an ingest that lands while the server runs (and that the server then answers with, no restart), a
 * second writer that waits and then says what to do, and kill -9 of the ingest and of the server. Expected figures
 * are the FRED files' own text (million USD): IMPCH 2024-01 is `35035.000000` → 35,035,000,000 USD.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tradescope.js');
const IMPCH = join(ROOT, 'data', 'fred', 'FRED_IMPCH_us_imports_from_china_monthly.csv');
const XTEX = join(ROOT, 'data', 'fred', 'FRED_XTEXVA01CNM667S_2000-2020.csv');
const BACI = join(ROOT, 'data', 'baci', 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv');
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tradescope(env: Record<string, string>, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      maxBuffer: 1 << 24,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** The FRED file's figure for a month in whole USD, from its text (million USD: the decimal point moved six places). */
function fredUsd(file: string, month: string): number {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.includes(`${month}-01`));
  if (!line) throw new Error(`no ${month} in ${file}`);
  const [whole, frac = ''] = line.split(',').pop()!.split('.');
  return Number(`${whole}${frac.slice(0, 6).padEnd(6, '0')}.${frac.slice(6) || '0'}`);
}

async function startServe(db: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /dashboard (http:\/\/[^/\s]+)\//.exec(err);
      if (m) resolveUrl(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { proc, url };
}

async function serverValue(url: string, reporter: string, partner: string, flow: string, month: string) {
  const r = await fetch(
    `${url}/api/query?reporter=${reporter}&partner=${partner}&flow=${flow}&period=${month}&measure=value`,
  );
  const body = (await r.json()) as { rows?: { value: string | null }[] };
  return { status: r.status, value: body.rows?.[0]?.value === undefined ? undefined : Number(body.rows[0]!.value) };
}

const killed = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null ? r() : p.once('exit', () => r())));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-serve-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve and the CLI on one store', () => {
  it('readers beside the server; an ingest lands and the server answers with it; kill -9 of an ingest and of the server', async () => {
    const db = join(dir, 'shared.duckdb');
    const first = await tradescope(
      {},
      'ingest',
      IMPCH,
      '--format',
      'csv',
      '--mapping',
      join(ROOT, 'mappings', 'fred-impch.yaml'),
      '--db',
      db,
    );
    expect(first.code, first.stderr).toBe(0);
    const { proc, url } = await startServe(db);
    try {
      expect(await serverValue(url, 'USA', 'CHN', 'M', '2024-01')).toEqual({
        status: 200,
        value: fredUsd(IMPCH, '2024-01'),
      });
      // three CLI readers at once, beside the server
      const readers = await Promise.all(
        [1, 2, 3].map(() =>
          tradescope(
            {},
            'query',
            '--db',
            db,
            '--reporter',
            'USA',
            '--partner',
            'CHN',
            '--flow',
            'M',
            '--period',
            '2024-01',
            '--measure',
            'value',
            '--format',
            'json',
          ),
        ),
      );
      for (const r of readers) {
        expect(r.code, r.stderr).toBe(0);
        expect(Number((JSON.parse(r.stdout) as { rows: { value: string }[] }).rows[0]!.value)).toBe(
          fredUsd(IMPCH, '2024-01'),
        );
      }
      // an ingest while the server runs: the server hands the store over, then answers with the new load
      const ingest = await tradescope(
        {},
        'ingest',
        XTEX,
        '--format',
        'csv',
        '--mapping',
        join(ROOT, 'mappings', 'fred-china-exports-sa.yaml'),
        '--db',
        db,
      );
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stdout).toContain('records read 243 = loaded 243 + quarantined 0');
      expect(await serverValue(url, 'CHN', 'WLD', 'X', '2020-04')).toEqual({
        status: 200,
        value: fredUsd(XTEX, '2020-04'),
      });
      // kill -9 of an ingest half-way: the server gets the store back, and nothing of that load is visible
      const victim = spawn(process.execPath, [CLI, 'ingest', BACI, '--format', 'baci', '--db', db], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      await new Promise((r) => setTimeout(r, 1500));
      victim.kill('SIGKILL');
      await killed(victim);
      expect(await serverValue(url, 'USA', 'CHN', 'M', '2024-01')).toEqual({
        status: 200,
        value: fredUsd(IMPCH, '2024-01'),
      });
      const ds = await (await fetch(`${url}/api/datasets`)).json();
      const ids = (ds as { datasets: { dataset: string }[] }).datasets.map((d) => d.dataset).sort();
      expect(ids.filter((d) => d !== 'baci-hs92')).toEqual(['fred-china-exports-sa', 'fred-impch']);
    } finally {
      proc.kill('SIGKILL');
      await killed(proc);
    }
    // after kill -9 of the server: the store opens, and holds both loads whole
    const after = await tradescope({}, 'datasets', '--db', db, '--json');
    expect(after.code, after.stderr).toBe(0);
    const rows = (JSON.parse(after.stdout) as { datasets: { dataset: string; rows: number }[] }).datasets
      .filter((d) => d.dataset.startsWith('fred'))
      .map((d) => [d.dataset, d.rows]);
    expect(rows).toEqual([
      ['fred-china-exports-sa', 243],
      ['fred-impch', 492],
    ]);
    expect(existsSync(`${db}.write-request`)).toBe(false);
  }, 180_000);

  it('a second writer waits while one writes, then is refused with a message saying what to do; after kill -9 of the first, it runs', async () => {
    const db = join(dir, 'writers.duckdb');
    // the first writer: a process holding the store open read-write (as an ingest does while it runs)
    const store = join(ROOT, 'dist', 'src', 'store', 'duckdb', 'duckdb-store.js');
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { DuckDbStore } = await import(${JSON.stringify(store)}); await DuckDbStore.open(${JSON.stringify(db)}); console.log('holding'); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => holder.stdout!.once('data', () => r()));
    const mapping = join(ROOT, 'mappings', 'fred-impch.yaml');
    try {
      const t0 = Date.now();
      const second = await tradescope(
        { TRADESCOPE_LOCK_WAIT_MS: '1500' },
        'ingest',
        IMPCH,
        '--format',
        'csv',
        '--mapping',
        mapping,
        '--db',
        db,
      );
      expect(second.code).toBe(2);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
      expect(second.stderr).toContain('is in use by another tradescope process: waited 2 s');
      expect(second.stderr).toContain('wait for it (or stop it) and run this again');
    } finally {
      holder.kill('SIGKILL');
      await killed(holder);
    }
    const third = await tradescope({}, 'ingest', IMPCH, '--format', 'csv', '--mapping', mapping, '--db', db);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain('records read 492 = loaded 492 + quarantined 0');
  }, 120_000);
});
