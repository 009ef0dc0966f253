/**
 * `tradescope demo`: builds the store from the data bundled with tradescope and prints the headline table:
 * China's exports, imports and balance for 2024 and for January–June 2025 (YTD, with YTD-YoY), in CNY.
 * Then GAC's own release pages (data/gacc-releases) are loaded as datasets of their own and what they say is
 * printed after the table (demo-releases.ts). Re-running it is cheap: every file is already loaded, so nothing
 * changes.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Format, ingestFile } from '../../ingest/ingest.js';
import { groupThousands, humanAmount, toFixed } from '../../model/decimal.js';
import { query } from '../../query/engine.js';
import { specFromParams } from '../../query/params.js';
import { dataPath, mappingPath } from '../../util/paths.js';
import { printJson, textTable } from '../format.js';
import { openStore, storeLocation } from '../open-store.js';
import { loadReleasePages, releaseSummary } from './demo-releases.js';

interface BundledFile {
  file: string[];
  format: Format;
  mapping?: string;
  what: string;
}

/** The bundled datasets (see data/PROVENANCE.md). */
export const BUNDLED: readonly BundledFile[] = [
  {
    file: ['gacc', 'gacc_region_monthly_2024_2025.xlsx'],
    format: 'gacc',
    mapping: 'gacc-region-monthly.yaml',
    what: 'GAC national and regional monthly totals 2024-01…2025-06, 万元',
  },
  {
    file: ['comtrade', 'TradeData_2022_CHN_DEU_USA_by_partner.csv'],
    format: 'comtrade',
    what: 'UN Comtrade 2022, China/Germany/USA by partner',
  },
  {
    file: ['baci', 'BACI_HS92_Y2021_V202301_AFG_ZAF.csv'],
    format: 'baci',
    what: 'CEPII BACI 2021, exports of Afghanistan and South Africa, HS6',
  },
  {
    file: ['comtrade', 'china_critical_minerals_hs6_monthly.csv'],
    format: 'csv',
    mapping: 'comtrade-critical-minerals.yaml',
    what: 'China critical-mineral exports by partner × HS6, monthly 2017–2024',
  },
  {
    file: ['partner-series', 'usa-china-trade-data.csv'],
    format: 'csv',
    mapping: 'census-usa-china.yaml',
    what: 'US Census: US trade with China, monthly 2001–2019',
  },
  {
    file: ['partner-series', 'japan-china-trade-data.csv'],
    format: 'csv',
    mapping: 'japan-mof-china.yaml',
    what: 'Japan MoF: Japan trade with China, monthly',
  },
  {
    file: ['partner-series', 'korea-china-trade-data.csv'],
    format: 'csv',
    mapping: 'kosis-korea-china.yaml',
    what: 'KOSIS: Korea trade with China, monthly',
  },
  {
    file: ['fred', 'FRED_IMPCH_us_imports_from_china_monthly.csv'],
    format: 'csv',
    mapping: 'fred-impch.yaml',
    what: 'FRED IMPCH: US imports from China, monthly 1985–2025',
  },
  {
    file: ['fred', 'FRED_XTEXVA01CNM667S_2000-2020.csv'],
    format: 'csv',
    mapping: 'fred-china-exports-sa.yaml',
    what: 'FRED/OECD: China exports, seasonally adjusted, 2000–2020',
  },
  {
    file: ['china-partners', 'DOTS_40_China_exports_by_partner_annual_long.csv'],
    format: 'csv',
    mapping: 'imf-dots-china-exports.yaml',
    what: 'IMF DOTS: China exports by partner, annual to 2020',
  },
  {
    file: ['china-partners', 'mart_solar_exports_full_release_monthly.csv'],
    format: 'csv',
    mapping: 'ember-china-solar-exports.yaml',
    what: 'Ember: China solar PV exports by destination, monthly 2017–2025',
  },
];

export async function demoCommand(o: { db?: string; json?: boolean }): Promise<number> {
  const loc = resolve(storeLocation(o.db));
  const fresh = !existsSync(loc);
  const store = await openStore(o.db);
  const loaded: { file: string; status: string; dataset: string; rows: number; quarantined: number }[] = [];
  let gacc = 'gacc';
  try {
    if (!o.json) process.stderr.write(`${fresh ? 'building' : 'updating'} ${loc} from the bundled data…\n`);
    for (const b of BUNDLED) {
      const file = dataPath(...b.file);
      const r = await ingestFile(store, file, {
        format: b.format,
        ...(b.mapping ? { mapping: mappingPath(b.mapping) } : {}),
        stagingBase: loc,
      });
      if (b.format === 'gacc') gacc = r.dataset;
      loaded.push({
        file: b.file.join('/'),
        status: r.status,
        dataset: r.dataset,
        rows: r.rowsLoaded,
        quarantined: r.rowsQuarantined,
      });
      if (!o.json) {
        process.stderr.write(
          `  ${r.status === 'loaded' ? 'loaded   ' : 'unchanged'} ${r.dataset.padEnd(28)} ${groupThousands(String(r.rowsLoaded)).padStart(9)} rows` +
            (r.rowsQuarantined ? `, ${r.rowsQuarantined} quarantined` : '') +
            `  ${b.what}\n`,
        );
      }
    }
    // GAC's own release pages, beside the bundled datasets (their own datasets: the table below is unchanged)
    const releases = await loadReleasePages(store, loc, o.json ? undefined : (s) => process.stderr.write(s));
    // the headline through the query engine, as `tradescope query --reporter CHN --period … --dataset …` asks it
    const ask = (period: string) =>
      query(store, specFromParams({ reporter: 'CHN', partner: 'WLD', period, ...(gacc ? { dataset: gacc } : {}) }));
    const year = await ask('2024');
    const h1 = await ask('ytd:2025-06');
    if (o.json) {
      printJson({ store: loc, loaded, releases, headline: [year, h1] });
      return 0;
    }
    const rows = [];
    for (const [label, res] of [
      ['2024 (Jan–Dec)', year],
      ['2025 Jan–Jun (YTD)', h1],
    ] as const) {
      for (const name of ['exports', 'imports', 'balance']) {
        const m = res.rows.find((r) => r.measure === name);
        const value = typeof m?.value === 'string' ? m.value : null;
        rows.push([
          label,
          name,
          value ? groupThousands(value) : '—',
          value ? humanAmount(toFixed(value)) : '',
          pctText(m?.yoy_pct),
          pctText(m?.published_yoy_pct),
          String(m?.basis ?? ''),
        ]);
      }
    }
    process.stdout.write(
      `\nChina's merchandise trade with the world, CNY (GAC; dataset ${gacc})\n` +
        `${textTable(['period', 'measure', 'value (CNY)', 'approx.', 'YoY', 'YoY in file', 'basis'], rows)}\n\n` +
        "YTD values are GAC's published cumulative figures (they include revisions of earlier months).\n" +
        'YoY for 2024 is not shown: the bundled GAC file starts in 2024-01.\n' +
        `Next: tradescope query --reporter CHN --period ytd:2025-06 --by month   ·   tradescope datasets\n\n`,
    );
    process.stdout.write(await releaseSummary(store));
    return 0;
  } finally {
    await store.close();
  }
}

function pctText(v: unknown): string {
  if (typeof v !== 'string' || !v) return '';
  const s = v;
  return `${s.startsWith('-') ? '' : '+'}${s}%`;
}
