/**
 * The server's DuckDB store, held read-only and handed over to a writer on request (see
 * `store/duckdb/write-handover.ts`). Every 100 ms, and before each call, it looks for a live write request; when
 * there is one, new calls wait, running calls finish, the store is closed, and it is reopened once the writer is
 * done (or dead). `onReopen` then runs (the server clears its result cache), so answers show the new loads
 * without a restart.
 *
 * @example const store = handoverStore(() => openStore(db, { readOnly: true }), db, await openStore(db, { readOnly: true }));
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { writerWaiting } from '../store/duckdb/write-handover.js';
import type { TradeStore } from '../store/store.js';

export type HandoverStore = TradeStore & {
  /** Runs after each reopen. */
  onReopen?: () => void;
  /** How many times the store was handed over and reopened. */
  readonly handovers: number;
};

export function handoverStore(open: () => Promise<TradeStore>, db: string, first: TradeStore): HandoverStore {
  let current = first;
  let running = 0;
  let idle: (() => void) | undefined;
  let paused: Promise<void> | undefined;
  let handovers = 0;
  let closed = false;
  const state = { onReopen: undefined as (() => void) | undefined };

  const handOver = async (): Promise<void> => {
    if (paused || closed) return paused;
    paused = (async () => {
      if (running > 0) await new Promise<void>((r) => (idle = r));
      await current.close();
      for (;;) {
        while (writerWaiting(db) !== undefined) await sleep(100);
        try {
          current = await open();
          break;
        } catch {
          await sleep(100); // the writer still holds the file (it withdraws its request just after closing)
        }
      }
      handovers++;
      state.onReopen?.();
    })().finally(() => {
      paused = undefined;
    });
    return paused;
  };

  const timer = setInterval(() => {
    if (writerWaiting(db) !== undefined) void handOver();
  }, 100);
  timer.unref();

  return new Proxy(first as HandoverStore, {
    get(_target, prop) {
      if (prop === 'handovers') return handovers;
      if (prop === 'onReopen') return state.onReopen;
      const value = Reflect.get(current, prop, current);
      if (prop === 'close')
        return async () => {
          closed = true;
          clearInterval(timer);
          await paused;
          await current.close();
        };
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (writerWaiting(db) !== undefined) void handOver();
        while (paused) await paused;
        running++;
        try {
          const fn = Reflect.get(current, prop, current) as (...a: unknown[]) => unknown;
          return await fn.apply(current, args);
        } finally {
          running--;
          if (running === 0 && idle) {
            const r = idle;
            idle = undefined;
            r();
          }
        }
      };
    },
    set(_target, prop, value) {
      if (prop === 'onReopen') {
        state.onReopen = value as () => void;
        return true;
      }
      return Reflect.set(current, prop, value, current);
    },
  });
}
