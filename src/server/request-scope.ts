/**
 * Which request a store call belongs to, so a request past its time limit can stop its own work: the call of it
 * that is running is interrupted (DuckDB's interrupt), and its calls still queued are dropped before they start.
 * Other requests' calls are never touched.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** Set when the request has given up (its time limit passed). */
  aborted: boolean;
  /** Why, for the error of the calls dropped. */
  reason?: Error;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
