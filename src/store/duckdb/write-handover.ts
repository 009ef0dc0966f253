/**
 * One DuckDB file, several tradescope processes. DuckDB lets one process write a file or several read it, never
 * both, so a long-running reader (`tradescope serve`, which holds the store read-only) hands the file over to a
 * writer (`tradescope ingest`) on request: the writer leaves a small request file beside the store naming its
 * process (`<store>.write-request`), the reader closes the store as soon as its running calls end, and reopens it
 * — seeing the new loads — once the request file is gone or its writer has died (kill -9 leaves a stale request
 * whose process no longer exists; it is ignored and removed).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** The request file of a store. */
export const writeRequestPath = (db: string): string => `${db}.write-request`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process id of a live writer waiting for the store, or undefined (a stale request is removed).
 * @example if (writerWaiting('/data/s.duckdb')) await releaseStore()
 */
export function writerWaiting(db: string): number | undefined {
  const path = writeRequestPath(db);
  if (!existsSync(path)) return undefined;
  let pid = Number.NaN;
  try {
    pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
  } catch {
    // being written right now, or garbage: a live writer rewrites it
    return undefined;
  }
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) return pid;
  rmSync(path, { force: true });
  return undefined;
}

/** Asks readers of `db` to hand it over; returns the function that withdraws the request (only if still ours). */
export function requestWrite(db: string): () => void {
  const path = writeRequestPath(db);
  writeFileSync(path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  return () => {
    try {
      const pid = Number((JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid);
      if (pid === process.pid) rmSync(path, { force: true });
    } catch {
      // already gone
    }
  };
}
