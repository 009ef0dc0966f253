/**
 * A request past the server's time limit stops its own work (issue 15): the statement running for it is
 * interrupted with DuckDB's interrupt, so the connection is free for the next request within 100 ms, and a light
 * call queued behind it answers instead of timing out too. The slow statement is a sum over a range sized to run
 * at least 10 s here: its run time is extrapolated from a timed run of a twentieth of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../../src/server/limits.js';
import { serializedStore } from '../../src/server/serialized-store.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

let dir: string;
let raw: DuckDbStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-interrupt-'));
  raw = await DuckDbStore.open(join(dir, 's.duckdb'));
});
afterAll(async () => {
  await raw.close();
  rmSync(dir, { recursive: true, force: true });
});

const sumSql = (n: number) => `SELECT sum(hash(i)) AS s FROM range(${n}) t(i)`;

describe('the time limit interrupts the query', () => {
  it('a ≥ 10 s statement is stopped at the limit; the connection is free within 100 ms; the next call answers', async () => {
    // size the slow statement: a twentieth of it, timed, times twenty must be ≥ 10 s
    let n = 50_000_000;
    for (;;) {
      const t0 = performance.now();
      await raw.db.all(sumSql(n));
      const ms = performance.now() - t0;
      if (ms * 20 >= 10_000) break;
      n = Math.ceil(n * Math.max(2, (10_000 / 20 / ms) * 1.2));
    }
    const slowN = n * 20;
    const store = serializedStore(
      Object.assign(raw, { slowSum: () => raw.db.all(sumSql(slowN)) }) as unknown as DuckDbStore,
    );
    const slow = store as unknown as { slowSum(): Promise<unknown> };
    const t0 = performance.now();
    const timedOut = withTimeout(() => slow.slowSum(), 300, 'the query', store).catch((e: Error) => e);
    // a light call queued behind the slow one, from another request
    const light = withTimeout(() => store.loads(), 5_000, 'the query', store);
    const err = (await timedOut) as { status?: number; message: string };
    const atLimit = performance.now() - t0;
    expect(err.status).toBe(408);
    expect(atLimit).toBeLessThan(1_000);
    const loads = await light;
    const free = performance.now() - t0 - atLimit;
    expect(loads).toEqual([]);
    expect(free).toBeLessThan(100);
  }, 120_000);
});

describe('overload', () => {
  it('past the bounded queue, a query is a 503 with Retry-After and a problem naming the cause', async () => {
    const store = serializedStore(raw);
    const slowStore = Object.assign(store, {}) as typeof store;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // two queries admitted and held; the third finds the queue (limit 2) full
    const held = [1, 2].map(() => withTimeout(() => gate.then(() => 'ok'), 5_000, 'the query', slowStore, 2));
    const third = await withTimeout(async () => 'ran', 5_000, 'the query', slowStore, 2).catch((e: unknown) => e);
    const e = third as {
      status: number;
      headers: Record<string, string>;
      problems: { code: string; message: string }[];
    };
    expect(e.status).toBe(503);
    expect(e.headers['retry-after']).toBe('1');
    expect(e.problems.map((p) => p.code)).toEqual(['overloaded']);
    expect(e.problems[0]!.message).toContain('2 queries are already running or waiting for the store (its limit is 2)');
    release();
    expect(await Promise.all(held)).toEqual(['ok', 'ok']);
    // once they are answered, the queue has room again
    expect(await withTimeout(async () => 'ran', 5_000, 'the query', slowStore, 2)).toBe('ran');
  });
});
