/**
 * Tables (2) by trade mode for the month and (3) by trade mode for the year to date: one row per trade mode
 * (general trade, processing trade and its two kinds, bonded logistics …), partner World. The printed label is
 * read into a trade-mode id of GAC's vocabulary below (English and Chinese, as the release prints them); a label
 * outside it is a quarantined row naming it. The Total row is staged without a trade mode (it is the all-modes
 * total), and Export & Import is checked, not staged.
 */
import type { ReaderItem } from '../../staged-row.js';
import {
  checkSum,
  dataColumns,
  isProblem,
  numberAt,
  percentToRatio,
  periodOf,
  rowProblem,
  stagedRow,
  type TableContext,
} from './emit.js';
import { cellAt } from './grid.js';

/** GAC's trade modes as printed in (2)/(3), to the ids the store keeps ('' = all modes: the Total row). */
const TRADE_MODES: [RegExp, string][] = [
  [/^(total|总值|合计)$/i, ''],
  [/^(general trade|一般贸易)$/i, 'general'],
  [/^(processing trade|加工贸易)$/i, 'processing'],
  [
    /^(processing (and|&) assembling( trade)?|processing with (supplied|customer'?s?) materials|来料加工装配贸易|来料加工贸易)$/i,
    'processing-assembly',
  ],
  [/^(processing with imported materials|进料加工贸易)$/i, 'processing-imported'],
  [/^(bonded logistics|goods? in bonded logistics|保税物流|保税物流货物)$/i, 'bonded-logistics'],
  [/^(others?|其他|其他贸易)$/i, 'other'],
];

const OF_WHICH = /^(of\s+which\s*[:：]?|其中\s*[:：]?)\s*/i;

/** The trade-mode id of a printed label, or undefined. */
export function tradeModeOf(label: string): string | undefined {
  const t = label.normalize('NFKC').replace(OF_WHICH, '').replace(/\s+/g, ' ').trim();
  return TRADE_MODES.find(([re]) => re.test(t))?.[1];
}

/** Reads the rows of a table (2) or (3). */
export function* tradeModeRows(ctx: TableContext): Generator<ReaderItem> {
  const { layout, title, file } = ctx;
  const cols = dataColumns(layout);
  for (const row of layout.dataRows) {
    const label = cellAt(row, layout.labelColumn).text;
    if (!label) continue;
    const mode = tradeModeOf(label);
    if (mode === undefined) {
      yield rowProblem(
        ctx,
        row,
        'unknown-trade-mode',
        `unknown trade mode: ${JSON.stringify(label)}`,
        'Trade Mode',
        label,
      );
      continue;
    }
    const values = new Map<string, { value: string; decimals: number }>();
    for (const c of cols) {
      const p = numberAt(ctx, row, c, `row "${label}"`);
      if (isProblem(p)) {
        yield p;
        continue;
      }
      if (p === 'none') continue;
      values.set(`${c.role.flow}|${c.role.measure}|${c.role.window}`, p);
      if (c.role.flow !== 'X' && c.role.flow !== 'M') continue;
      const { period } = periodOf(c.role, title);
      const yoy = c.role.measure === 'yoy';
      yield stagedRow(ctx, row, {
        partner: 'WLD',
        partnerScheme: 'canonical',
        flow: c.role.flow,
        classification: 'TOTAL',
        product: 'TOTAL',
        period,
        measure: yoy ? 'yoy' : period.startsWith('ytd:') ? 'cumulative' : 'value',
        value: yoy ? percentToRatio(p.value) : p.value,
        unit: yoy ? 'ratio' : layout.unit.label,
        tradeMode: mode,
        field: c.header,
        ...(yoy ? { note: `printed YoY ${p.value} %` } : {}),
      });
    }
    for (const w of ['month', 'ytd', 'prior-ytd']) {
      const total = values.get(`total|level|${w}`);
      const x = values.get(`X|level|${w}`);
      const m = values.get(`M|level|${w}`);
      if (!total || !x || !m) continue;
      const bad = checkSum(total, [x, m], `${label}: Export & Import ≠ Export + Import`);
      if (bad) ctx.warn({ code: 'sum-mismatch', severity: 'warning', message: bad, at: { file, line: row.line } });
    }
  }
}
