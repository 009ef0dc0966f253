/**
 * The built dashboard (`dist/web`), served from the same server: hashed assets are immutable, `index.html`
 * is revalidated. No CDN: every script, style and font-list is in the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Env, Hono } from 'hono';
import { packageRoot } from '../util/paths.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/** Where the dashboard is built to. */
export function defaultWebRoot(): string {
  return join(packageRoot, 'dist', 'web');
}

/**
 * Mounts the dashboard at `/`. Paths outside the web root are refused; unknown non-API paths get index.html.
 * @example mountDashboard(app, defaultWebRoot())
 */
export function mountDashboard<E extends Env>(app: Hono<E>, root: string): void {
  const base = resolve(root);
  const files = new Map<string, { body: Buffer; type: string; immutable: boolean }>();
  const read = (rel: string) => {
    const cachedFile = files.get(rel);
    if (cachedFile) return cachedFile;
    const path = normalize(join(base, rel));
    if (!path.startsWith(base + sep) || !existsSync(path)) return undefined;
    const file = {
      body: readFileSync(path),
      type: TYPES[extname(path)] ?? 'application/octet-stream',
      immutable: rel.startsWith('assets/'),
    };
    files.set(rel, file);
    return file;
  };
  app.get('*', (c) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.startsWith('/api/')) {
      return c.json(
        {
          error: `no such endpoint: ${path}`,
          problems: [
            { code: 'not-found', severity: 'error', message: `no such endpoint: ${path} (see /openapi.json)` },
          ],
        },
        404,
      );
    }
    const rel = path === '/' ? 'index.html' : path.slice(1);
    const file = read(rel) ?? (extname(rel) ? undefined : read('index.html'));
    if (!file) {
      if (!existsSync(join(base, 'index.html')))
        return c.text(`the dashboard is not built: run \`npm run build\` (looked in ${base})\n`, 404);
      return c.text('not found\n', 404);
    }
    return new Response(new Uint8Array(file.body), {
      headers: {
        'content-type': file.type,
        'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
    });
  });
}
