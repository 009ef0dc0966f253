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
import { type RequestScope, requestScope } from './request-scope.js';

export type SerializedStore = TradeStore & {
  drain(): Promise<void>;
  /** Interrupts the running call when it belongs to `scope` (its request gave up); true when it did. */
  interruptIfRunning(scope: RequestScope): boolean;
};

export function serializedStore(store: TradeStore): SerializedStore {
  let tail: Promise<unknown> = Promise.resolve();
  let runningScope: RequestScope | undefined;
  const interruptIfRunning = (scope: RequestScope): boolean => {
    if (runningScope !== scope) return false;
    (store as { interrupt?: () => void }).interrupt?.();
    return true;
  };
  const drain = async (): Promise<void> => {
    // calls queued while waiting extend the tail: wait until it stops moving
    for (let seen: Promise<unknown> | undefined; seen !== tail; ) {
      seen = tail;
      await seen;
    }
  };
  return new Proxy(store as SerializedStore, {
    get(target, prop, receiver) {
      if (prop === 'drain') return drain;
      if (prop === 'interruptIfRunning') return interruptIfRunning;
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close')
        return typeof value === 'function' ? value.bind(target) : value;
      if (prop === 'interrupt') return value.bind(target);
      return (...args: unknown[]) => {
        const scope = requestScope.getStore();
        const call = async () => {
          // a request that gave up while this call waited: dropped before it starts
          if (scope?.aborted) throw scope.reason ?? new Error('request aborted');
          runningScope = scope;
          try {
            return await (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            runningScope = undefined;
          }
        };
        const run = tail.then(call, call);
        tail = run.catch(() => undefined);
        return run;
      };
    },
  });
}
