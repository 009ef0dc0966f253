/**
 * `tradescope fetch eurostat --period 2025-11 [--partner CN,HK,MO] [--product 8703]`: downloads the month's Comext
 * bulk file politely (cache, resume; see fetch/eurostat.ts), then loads it like `ingest --format comext`.
 * `tradescope fetch gacc …`: GAC's release pages from its index (see fetch-gacc.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fetchComext } from '../../fetch/eurostat.js';
import { UserError } from '../../util/errors.js';
import { ingestCommand } from './ingest.js';

export interface FetchCliOptions {
  db?: string;
  json?: boolean;
  period?: string;
  partner?: string;
  product?: string;
  cacheDir?: string;
  baseUrl?: string;
  force?: boolean;
  ingest?: boolean;
  vintage?: string;
  site?: string;
  year?: string;
  month?: string;
  section?: string;
  currency?: string;
  dryRun?: boolean;
  pause?: string;
  indexUrl?: string;
}

export async function fetchCommand(source: string, o: FetchCliOptions): Promise<number> {
  const cacheDir =
    o.cacheDir ??
    process.env.TRADESCOPE_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tradescope');
  if (source === 'gacc') {
    const { fetchGaccCommand } = await import('./fetch-gacc.js');
    return fetchGaccCommand(o, cacheDir);
  }
  if (source !== 'eurostat') throw new UserError(`fetch: unknown source ${source} (use eurostat or gacc)`);
  if (!o.period) throw new UserError('--period is required (a month, e.g. --period 2025-11)');
  const r = await fetchComext({
    period: o.period,
    cacheDir: join(cacheDir, 'eurostat'),
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    ...(o.force ? { force: true } : {}),
  });
  if (!o.json) process.stdout.write(`${r.file}: ${r.status} (${r.bytes} bytes from ${r.url})\n`);
  if (o.ingest === false) return 0;
  return ingestCommand([r.file], {
    format: 'comext',
    ...(o.db ? { db: o.db } : {}),
    ...(o.json ? { json: true } : {}),
    ...(o.partner ? { partner: o.partner } : {}),
    ...(o.product ? { product: o.product } : {}),
    ...(o.vintage ? { vintage: o.vintage } : {}),
  });
}
