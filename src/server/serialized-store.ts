/**
 * One store call at a time. An embedded store shares one connection, and its first read after a load may
 * rebuild rollups inside a transaction: two concurrent requests would then collide ("cannot start a
 * transaction within a transaction"). Calls are queued per method call; cached answers never wait.
 *
 * `drain()` resolves when no call is running or queued (before closing the store on shutdown).
 *
 * @example const store = serializedStore(await openStore(db));
 */
import type { TradeStore } from '../store/store.js';

export function serializedStore(store: TradeStore): TradeStore & { drain(): Promise<void> } {
  let tail: Promise<unknown> = Promise.resolve();
  const drain = async (): Promise<void> => {
    // calls queued while waiting extend the tail: wait until it stops moving
    for (let seen: Promise<unknown> | undefined; seen !== tail; ) {
      seen = tail;
      await seen;
    }
  };
  return new Proxy(store as TradeStore & { drain(): Promise<void> }, {
    get(target, prop, receiver) {
      if (prop === 'drain') return drain;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close')
        return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        const run = tail.then(
          () => (value as (...a: unknown[]) => unknown).apply(target, args),
          () => (value as (...a: unknown[]) => unknown).apply(target, args),
        );
        tail = run.catch(() => undefined);
        return run;
      };
    },
  });
}
