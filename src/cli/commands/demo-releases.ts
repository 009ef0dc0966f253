/**
 * The demo's second part: GAC's own release pages (data/gacc-releases, see data/PROVENANCE.md), loaded beside the
 * bundled datasets, and what they say printed after the demo's table — the headline from table (4)'s Total row,
 * exports to the partners the seed story names, and the labour-intensive lines with their YoY. Every figure comes
 * from a query (`tradescope query … --dataset gacc-release-cny|usd`), with the release named in its source line.
 */
import { ingestFile } from '../../ingest/ingest.js';
import { groupThousands } from '../../model/decimal.js';
import { type QueryResult, query } from '../../query/engine.js';
import { specFromParams } from '../../query/params.js';
import type { TradeStore } from '../../store/store.js';
import { dataPath } from '../../util/paths.js';
import { textTable } from '../format.js';

/** The release pages the demo loads, in `data/gacc-releases/`. */
export const RELEASE_PAGES: readonly { file: string; what: string }[] = [
  { file: 'release_section4_by_country_janfeb2025_cny.html', what: '(4) by country/region, Jan–Feb 2025, CNY' },
  { file: 'release_section5_major_exports_janfeb2025_cny.html', what: '(5) major exports, Jan–Feb 2025, CNY' },
  { file: 'release_section5_major_exports_apr2025_usd.html', what: '(5) major exports, Apr 2025, USD' },
  { file: 'release_section5_major_exports_may2019_cny.html', what: '(5) major exports, May 2019, CNY' },
  { file: 'release_section6_major_imports_may2026_cny.html', what: '(6) major imports, May 2026, CNY' },
];

export interface ReleaseLoad {
  file: string;
  status: string;
  dataset: string;
  vintage: string;
  rows: number;
}

/** Loads the release pages (unchanged ones are skipped by the store, as for every bundled file). */
export async function loadReleasePages(store: TradeStore, stagingBase: string, log?: (s: string) => void) {
  const out: ReleaseLoad[] = [];
  for (const p of RELEASE_PAGES) {
    const r = await ingestFile(store, dataPath('gacc-releases', p.file), {
      format: 'gacc-release',
      stagingBase,
      rollups: 'later',
    });
    out.push({ file: p.file, status: r.status, dataset: r.dataset, vintage: r.vintage, rows: r.rowsLoaded });
    log?.(
      `  release ${r.status === 'loaded' ? 'loaded   ' : 'unchanged'} ${r.dataset.padEnd(20)} ${String(r.rowsLoaded).padStart(5)} rows  ${p.what}, published ${r.vintage}\n`,
    );
  }
  // two GAC sources now describe China's totals: the demo's headline reads the regional file (the release
  // queries name their dataset), as a user declares with `tradescope datasets --prefer`; a precedence the user
  // declared is kept
  const declared = await store.precedence();
  if (!declared.includes('gacc-region-monthly')) await store.setPrecedence(['gacc-region-monthly', ...declared]);
  return out;
}

const pct = (v: unknown) => (typeof v === 'string' && v ? `${v.startsWith('-') ? '' : '+'}${v}%` : '');
const cell = (r: QueryResult, measure: string) => r.rows.find((x) => x.measure === measure);
/** "GAC, table (4) …, published 2025-03-11", from the query's provenance. */
function releaseOf(r: QueryResult): string {
  const v = r.provenance.vintages?.[0];
  const title = /"([^"]+)"/.exec(v?.source ?? '')?.[1];
  return `GAC preliminary release: ${title ?? r.provenance.dataset}, published ${v?.vintage ?? '?'}`;
}

/** The text the demo prints after its table. */
export async function releaseSummary(store: TradeStore): Promise<string> {
  const ask = (p: Record<string, string>) => query(store, specFromParams({ reporter: 'CHN', ...p }));
  const lines: string[] = [];
  // (4) Total row: the headline
  const head = await ask({ period: '2025-01+02', dataset: 'gacc-release-cny' });
  const rows = ['exports', 'imports', 'balance'].map((m) => {
    const c = cell(head, m);
    return [m, c?.value ? groupThousands(String(c.value)) : '—', pct(c?.published_yoy_pct)];
  });
  lines.push(
    "What GAC's own release pages say (data/gacc-releases; preliminary figures)",
    '',
    'China, January–February 2025, CNY — table (4), Total row',
    textTable(['measure', 'value (CNY)', 'YoY as printed'], rows),
    `source: ${releaseOf(head)}`,
    '',
  );
  // partners the seed story names
  const partners: string[][] = [];
  let src = '';
  for (const [code, name] of [
    ['USA', 'United States'],
    ['EU', 'European Union'],
    ['ASEAN', 'ASEAN'],
    ['AUS', 'Australia'],
  ] as const) {
    const r = await ask({ partner: code, flow: 'X', period: '2025-01+02', dataset: 'gacc-release-cny' });
    const c = cell(r, 'exports');
    src = releaseOf(r);
    partners.push([name, c?.value ? groupThousands(String(c.value)) : '—', pct(c?.published_yoy_pct)]);
  }
  lines.push(
    'Exports by partner, January–February 2025, CNY (published totals of groups, not sums of members)',
    textTable(['partner', 'exports (CNY)', 'YoY as printed'], partners),
    `source: ${src}`,
    '',
  );
  // the labour-intensive lines
  const li = await ask({
    flow: 'X',
    period: 'ytd:2025-04',
    product: 'labour-intensive',
    by: 'product',
    compare: 'yoy',
    dataset: 'gacc-release-usd',
  });
  lines.push(
    'Labour-intensive exports, January–April 2025, USD — table (5), by GAC line',
    textTable(
      ['line', 'exports (USD)', 'YoY'],
      li.rows.map((x) => [String(x.product), groupThousands(String(x.value)), pct(x.yoy_pct)]),
    ),
    `source: ${releaseOf(li)}`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
