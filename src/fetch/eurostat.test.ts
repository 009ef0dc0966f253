/**
 * The Comext download against a loopback HTTP server made here (never the network): it serves a fixture archive
 * (test/fixtures/comext) with Range support, and for an unpublished month HTTP 200 with an HTML error page, as
 * Eurostat's bulk endpoint does.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthRows, writeComextArchive } from '../../test/fixtures/comext/make-comext.js';
import { fetchComext } from './eurostat.js';

let dir: string;
let server: Server;
let base: string;
let archive: Buffer;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradescope-fetch-'));
  archive = readFileSync(writeComextArchive(dir, '202511', monthRows('202511')));
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.endsWith('full_v2_202511.7z')) {
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (range) {
        const from = Number(range[1]);
        res.writeHead(206, {
          'Content-Type': 'application/x-7z-compressed',
          'Content-Length': archive.length - from,
          'Content-Range': `bytes ${from}-${archive.length - 1}/${archive.length}`,
        });
        res.end(archive.subarray(from));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/x-7z-compressed', 'Content-Length': archive.length });
        res.end(archive);
      }
      return;
    }
    // an unpublished month: 200 with an HTML error page
    res.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8' });
    res.end('<!DOCTYPE html><html><body><h1>Error</h1><p>The requested file does not exist.</p></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files?file=comext%2FCOMEXT_DATA%2FPRODUCTS%2F`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('fetch eurostat', () => {
  it('downloads the month, then finds it in the cache without asking again', async () => {
    const cache = join(dir, 'cache1');
    const r = await fetchComext({ period: '2025-11', cacheDir: cache, baseUrl: base });
    expect(r.status).toBe('downloaded');
    expect(readFileSync(r.file).equals(archive)).toBe(true);
    expect(seen.at(-1)!.headers['user-agent']).toMatch(/tradescope/);
    const n = seen.length;
    const again = await fetchComext({ period: '2025-11', cacheDir: cache, baseUrl: base });
    expect(again.status).toBe('cached');
    expect(seen.length).toBe(n);
  });

  it('resumes a partial download with a Range request', async () => {
    const cache = join(dir, 'cache2');
    const half = Math.floor(archive.length / 2);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'full_v2_202511.7z.part'), archive.subarray(0, half));
    const r = await fetchComext({ period: '2025-11', cacheDir: cache, baseUrl: base });
    expect(r.status).toBe('resumed');
    expect(seen.at(-1)!.headers.range).toBe(`bytes=${half}-`);
    expect(readFileSync(r.file).equals(archive)).toBe(true);
    expect(existsSync(`${r.file}.part`)).toBe(false);
  });

  it('a month not yet published (HTTP 200 with an HTML page) is a clear error, and nothing is cached', async () => {
    const cache = join(dir, 'cache3');
    await expect(fetchComext({ period: '2026-11', cacheDir: cache, baseUrl: base })).rejects.toThrow(
      /full_v2_202611\.7z: Eurostat has not published 2026-11 \(yet\): .*HTML page/,
    );
    expect(existsSync(join(cache, 'full_v2_202611.7z'))).toBe(false);
    expect(existsSync(join(cache, 'full_v2_202611.7z.part'))).toBe(false);
  });

  it('refuses a period that is not a month', async () => {
    await expect(fetchComext({ period: '2025', cacheDir: dir, baseUrl: base })).rejects.toThrow(/not a month/);
  });
});
