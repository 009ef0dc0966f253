/**
 * Runs the app on a port with graceful shutdown: on SIGTERM/SIGINT the server stops accepting connections,
 * lets requests in flight finish (up to a grace period), then closes the store.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { TradeStore } from '../store/store.js';
import { createApp } from './app.js';
import type { ServerOptions } from './options.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting, waits for requests in flight (at most `graceMs`), closes the store. */
  close(graceMs?: number): Promise<void>;
}

/**
 * @example const s = await startServer(store, { port: 0 }); await fetch(`${s.url}/api/health`); await s.close();
 */
export async function startServer(
  store: TradeStore,
  o: ServerOptions & { port?: number; host?: string; handleSignals?: boolean; warmUp?: boolean },
): Promise<RunningServer> {
  const { app, ctx } = await createApp(store, o);
  const host = o.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port ?? 8080, hostname: host }, () => resolveServer(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  if (o.warmUp) {
    // the answers every dashboard visit starts with (basket expansion and the store's dataset profiles take
    // seconds when cold), computed once in the background and kept in the result cache
    void (async () => {
      for (const path of [
        '/api/views?reporter=CHN',
        '/api/datasets',
        '/api/baskets',
        '/api/countries',
        '/api/regions',
      ]) {
        await Promise.resolve(app.request(path)).catch(() => undefined);
      }
    })();
  }
  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000): Promise<void> => {
    closing ??= new Promise<void>((done) => {
      const force = setTimeout(() => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }, graceMs);
      force.unref();
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      server.close(() => {
        clearTimeout(force);
        // queries still running for requests whose connections were cut must finish before the store closes
        void ctx.store
          .drain()
          .then(() => store.close())
          .then(done, done);
      });
    });
    return closing;
  };
  if (o.handleSignals) {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => {
        process.stderr.write(
          `${JSON.stringify({ time: new Date().toISOString(), level: 'info', event: 'shutdown', signal: sig })}\n`,
        );
        // a second signal, or a shutdown that outlives twice the grace period, exits at once
        setTimeout(() => process.exit(1), 20_000).unref();
        void close().then(() => process.exit(0));
      });
    }
  }
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown}:${port}`, port, close };
}
