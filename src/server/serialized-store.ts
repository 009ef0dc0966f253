/**
 * One store call at a time. An embedded store shares one connection, and its first read after a load may
 * rebuild rollups inside a transaction: two concurrent requests would then collide ("cannot start a
 * transaction within a transaction"). Calls are queued per method call; cached answers never wait.
 *
 * @example const store = serializedStore(await openStore(db));
 */
import type { TradeStore } from '../store/store.js';

export function serializedStore(store: TradeStore): TradeStore {
  let tail: Promise<unknown> = Promise.resolve();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return typeof value === 'function' ? value.bind(target) : value;
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
