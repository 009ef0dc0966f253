/**
 * `tradescope fetch gacc [--site en|zh] [--year 2026] [--month 2] [--section 4,5] [--currency usd] [--dry-run]`:
 * reads GAC's release index, downloads the pages asked for politely (see fetch/gacc.ts), then loads them like
 * `ingest --format gacc-release`. When any page fails (an error or verification page, a truncated download, a
 * page the reader refuses), nothing is loaded: the store stays as it was, and the messages say which page and why.
 */
import { fetchGacc, type PageResult } from '../../fetch/gacc.js';
import type { GaccSite } from '../../fetch/gacc-index.js';
import { UserError } from '../../util/errors.js';
import { printJson } from '../format.js';
import { ingestCommand } from './ingest.js';

export interface FetchGaccCliOptions {
  db?: string;
  json?: boolean;
  site?: string;
  year?: string;
  month?: string;
  section?: string;
  currency?: string;
  dryRun?: boolean;
  pause?: string;
  indexUrl?: string;
  baseUrl?: string;
  ingest?: boolean;
  vintage?: string;
}

const int = (flag: string, v: string, lo: number, hi: number): number => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < lo || n > hi)
    throw new UserError(`${flag}: ${v} is not a number from ${lo} to ${hi}`);
  return n;
};

function describe(r: PageResult): string {
  const l = r.link;
  const what = `(${l.section}) ${l.year}-${String(l.month).padStart(2, '0')} ${l.currency}`;
  if (r.status === 'planned') return `${what}: would fetch ${l.url}`;
  if (r.status === 'failed' || r.status === 'not-published') return `${r.status}: ${r.message}`;
  return `${what}: ${r.status} (${r.bytes} bytes, sha256 ${r.sha256?.slice(0, 16)}) ${l.url}`;
}

export async function fetchGaccCommand(o: FetchGaccCliOptions, cacheRoot: string): Promise<number> {
  const site = (o.site ?? 'en').toLowerCase();
  if (site !== 'en' && site !== 'zh') throw new UserError(`--site: ${o.site} is not a site (use en or zh)`);
  const currency = o.currency?.toUpperCase().replace('RMB', 'CNY');
  if (currency && currency !== 'CNY' && currency !== 'USD')
    throw new UserError(`--currency: ${o.currency} is not a currency of the release (use cny or usd)`);
  const sections = o.section?.split(',').map((s) => int('--section', s, 1, 6));
  const err = (s: string) => process.stderr.write(s);
  const r = await fetchGacc({
    site: site as GaccSite,
    cacheDir: `${cacheRoot}/gacc`,
    ...(o.year ? { year: int('--year', o.year, 2000, 2100) } : {}),
    ...(o.month ? { month: int('--month', o.month, 1, 12) } : {}),
    ...(sections ? { sections } : {}),
    ...(currency ? { currency: currency as 'CNY' | 'USD' } : {}),
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
    ...(o.indexUrl ? { indexUrl: o.indexUrl } : {}),
    ...(o.dryRun ? { dryRun: true } : {}),
    ...(o.pause !== undefined ? { pause: Number(o.pause) * 1000 } : {}),
    onEvent: (e) => {
      if (o.json) return;
      if (e.kind === 'index') err(`index ${e.url}: ${e.links} release pages linked\n`);
      else err(`[${e.index}/${e.total}] ${describe(e.result)}\n`);
    },
  });
  const count = (s: PageResult['status']) => r.pages.filter((p) => p.status === s).length;
  const failed = r.pages.filter((p) => p.status === 'failed');
  const files = r.pages.filter((p) => p.file).map((p) => p.file!);
  const summary = `${r.pages.length} pages: ${count('downloaded') + count('resumed')} downloaded, ${count('cached')} from the cache, ${count('not-published')} not published yet, ${failed.length} failed${o.dryRun ? `, ${count('planned')} to fetch (dry run)` : ''}`;
  if (o.json) printJson({ index: r.index.url, pages: r.pages, summary });
  else process.stdout.write(`${summary}\n`);
  if (!r.pages.length) throw new UserError(`no release page of the index matches the options (${r.index.url})`);
  if (failed.length) {
    for (const f of failed) err(`error: ${f.message}\n`);
    err(`nothing loaded: ${failed.length} page(s) failed; the store is unchanged\n`);
    return 1;
  }
  if (o.dryRun || o.ingest === false || !files.length) return 0;
  return ingestCommand(files, {
    format: 'gacc-release',
    ...(o.db ? { db: o.db } : {}),
    ...(o.json ? { json: true } : {}),
    ...(o.vintage ? { vintage: o.vintage } : {}),
  });
}
