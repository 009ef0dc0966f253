/**
 * Time limit for a query: the answer, or a 408 naming the limit and what to do next. Given the work as a
 * function and the server's store, the work runs in its own request scope: at the limit its running store call
 * is interrupted (DuckDB stops the statement, and the connection is free for the next request) and its queued
 * calls are dropped, so one slow request never makes the ones after it time out too.
 */
import { HttpError } from './http-error.js';
import { type RequestScope, requestScope } from './request-scope.js';
import type { SerializedStore } from './serialized-store.js';

/**
 * @example await withTimeout(() => query(ctx.store, spec), 15_000, 'the query', ctx.store)
 */
export async function withTimeout<T>(
  work: Promise<T> | (() => Promise<T>),
  ms: number,
  what: string,
  store?: Pick<SerializedStore, 'interruptIfRunning'>,
  maxQueued = Number.POSITIVE_INFINITY,
): Promise<T> {
  const key = store ?? GLOBAL;
  const inFlight = IN_FLIGHT.get(key) ?? 0;
  if (inFlight >= maxQueued)
    throw new HttpError(
      503,
      `the server is busy: ${inFlight} queries are running or waiting (its limit); retry in a second`,
      [
        {
          code: 'overloaded',
          severity: 'error',
          message: `the server is busy: ${inFlight} queries are already running or waiting for the store (its limit is ${maxQueued}); retry after 1 s`,
          params: { inFlight, maxQueued },
        },
      ],
      { 'retry-after': '1' },
    );
  IN_FLIGHT.set(key, inFlight + 1);
  try {
    return await limited(work, ms, what, store);
  } finally {
    IN_FLIGHT.set(key, (IN_FLIGHT.get(key) ?? 1) - 1);
  }
}

const GLOBAL = {};
/** Queries admitted and not yet answered, per store. */
const IN_FLIGHT = new WeakMap<object, number>();

async function limited<T>(
  work: Promise<T> | (() => Promise<T>),
  ms: number,
  what: string,
  store?: Pick<SerializedStore, 'interruptIfRunning'>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const scope: RequestScope = { aborted: false };
  const error = () =>
    new HttpError(408, `${what} took longer than ${ms} ms`, [
      {
        code: 'query-timeout',
        severity: 'error',
        message: `${what} took longer than the server's limit of ${ms} ms: narrow the period, add top, or drill down less`,
      },
    ]);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      scope.aborted = true;
      scope.reason = error();
      if (store && typeof store.interruptIfRunning === 'function') store.interruptIfRunning(scope);
      reject(scope.reason);
    }, ms);
  });
  const running = typeof work === 'function' ? requestScope.run(scope, work) : work;
  // the interrupted work rejects after the timeout has answered: nobody waits for it
  running.catch(() => {});
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
