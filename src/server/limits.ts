/**
 * Time limit for a query: the answer, or a 408 naming the limit and what to do next.
 */
import { HttpError } from './http-error.js';

/**
 * @example await withTimeout(query(store, spec), 15_000, 'query')
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new HttpError(408, `${what} took longer than ${ms} ms`, [
            {
              code: 'query-timeout',
              severity: 'error',
              message: `${what} took longer than the server's limit of ${ms} ms: narrow the period, add top, or drill down less`,
            },
          ]),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
