/**
 * Table (4), by country/region: one row per partner or published aggregate (Total, European Union, ASEAN, Latin
 * America, Africa, RCEP, Belt and Road). Partners are staged by name (code scheme `name`): the pipeline maps GAC's
 * spellings to canonical codes, and a name the code lists do not know is a quarantined row naming it. Aggregates
 * are published group totals (the store never adds them to countries); members are the rows indented under a
 * group — only the first says "of which:" — and are checked against the group (at most its value) and against the
 * page's note listing the members. Export & Import is checked against Export + Import (±1 in the last printed
 * digit) and not staged: it is X + M.
 *
 * The name checks here only look codes up to validate the page; the staged partner is the printed name.
 */
import { groups, membersAt } from '../../../classify/groups.js';
import { areaByCode, areaCodeIn } from '../../../model/areas.js';
import type { ReaderItem } from '../../staged-row.js';
import type { DataColumn } from './columns.js';
import {
  checkSum,
  dataColumns,
  isProblem,
  numberAt,
  percentToRatio,
  periodOf,
  stagedRow,
  type TableContext,
} from './emit.js';
import { cellAt, type GridRow } from './grid.js';

const OF_WHICH = /^(of\s+which\s*[:：]?|其中\s*[:：]?)\s*/i;

interface PartnerRow {
  row: GridRow;
  name: string;
  indent: number;
  ofWhich: boolean;
  code?: string;
  group?: PartnerRow;
  values: Map<string, { value: string; decimals: number }>;
}

/** Member rows under each group row: a block that starts with "of which:" and runs while rows are as indented. */
function assignMembers(rows: PartnerRow[]): void {
  for (let i = 0; i < rows.length; i++) {
    const g = rows[i]!;
    const first = rows[i + 1];
    if (!first?.ofWhich) continue;
    const depth = first.indent;
    for (let j = i + 1; j < rows.length; j++) {
      const r = rows[j]!;
      if (j > i + 1 && (r.ofWhich || r.indent < depth)) break;
      r.group = g;
    }
  }
}

/** The members the page's note lists for a group: `The European Union (EU) includes: Belgium, Denmark, …;`. */
function noteMembers(notes: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const text = notes.join(' ');
  for (const m of text.matchAll(/\(([A-Z]{2,6})\)\s*includes?\s*[:：]\s*([^;；]+)/g)) {
    out.set(
      m[1]!,
      m[2]!
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  for (const m of text.matchAll(/(东盟|欧盟)[^：:]*?包括\s*[:：]\s*([^;；。]+)/g)) {
    out.set(
      m[1] === '东盟' ? 'ASEAN' : 'EU',
      m[2]!
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }
  return out;
}

const GROUP_OF_NOTE: Record<string, string> = { ASEAN: 'ASEAN', EU: 'EUU' };

/** Reads the rows of a table (4). */
export function* partnerRows(ctx: TableContext): Generator<ReaderItem> {
  const { layout, title, file } = ctx;
  const cols = dataColumns(layout);
  const unit = layout.unit.label;
  ctx.warn({
    code: 'total-trade-not-staged',
    severity: 'info',
    message: 'Export & Import columns are checked against Export + Import and not staged (total trade is X + M)',
    at: { file },
  });
  const parsed: PartnerRow[] = [];
  for (const row of layout.dataRows) {
    const label = cellAt(row, layout.labelColumn);
    if (!label.text) continue;
    const ofWhich = OF_WHICH.test(label.text);
    const name = label.text.replace(OF_WHICH, '').trim();
    const code = areaCodeIn('name', name);
    const pr: PartnerRow = { row, name, indent: label.indent, ofWhich, ...(code ? { code } : {}), values: new Map() };
    parsed.push(pr);
    for (const c of cols) {
      const p = numberAt(ctx, row, c, `row "${name}"`);
      if (isProblem(p)) {
        yield p;
        continue;
      }
      if (p === 'none') continue;
      pr.values.set(key(c.role), p);
      if (c.role.flow !== 'X' && c.role.flow !== 'M') continue;
      const { period } = periodOf(c.role, title);
      const yoy = c.role.measure === 'yoy';
      yield stagedRow(ctx, row, {
        partner: name,
        partnerScheme: 'name',
        partnerField: layout.columns.find((x) => x.index === layout.labelColumn)?.header ?? 'partner',
        flow: c.role.flow,
        classification: 'TOTAL',
        product: 'TOTAL',
        period,
        measure: yoy ? 'yoy' : period.startsWith('ytd:') ? 'cumulative' : 'value',
        value: yoy ? percentToRatio(p.value) : p.value,
        unit: yoy ? 'ratio' : unit,
        field: c.header,
        ...(yoy ? { note: `printed YoY ${p.value} % (GAC's rate, against its revised prior-year figures)` } : {}),
      });
    }
  }
  checkRows(
    ctx,
    parsed,
    cols.map((c) => c.role),
  );
}

function key(c: DataColumn): string {
  return `${c.flow}|${c.measure}|${c.window}|${c.year}`;
}

function checkRows(ctx: TableContext, rows: PartnerRow[], cols: DataColumn[]): void {
  const { file } = ctx;
  assignMembers(rows);
  const levels = cols.filter((c) => c.measure === 'level' && c.flow === 'total');
  for (const r of rows) {
    for (const t of levels) {
      const total = r.values.get(key(t));
      const x = r.values.get(key({ ...t, flow: 'X' }));
      const m = r.values.get(key({ ...t, flow: 'M' }));
      if (!total || !x || !m) continue;
      const bad = checkSum(total, [x, m], `${r.name}: Export & Import ≠ Export + Import`);
      if (bad) ctx.warn({ code: 'sum-mismatch', severity: 'warning', message: bad, at: { file, line: r.row.line } });
    }
    if (r.group) {
      for (const [k, v] of r.values) {
        if (!k.includes('|level|')) continue;
        const g = r.group.values.get(k);
        if (g && Number(v.value) > Number(g.value))
          ctx.warn({
            code: 'member-exceeds-group',
            severity: 'warning',
            message: `${r.name} (${v.value}) exceeds its group ${r.group.name} (${g.value}) in ${k.split('|')[0]}`,
            at: { file, line: r.row.line },
          });
      }
    }
  }
  const listed = noteMembers(ctx.layout.notes);
  const date = `${ctx.title.period.year}-${String(ctx.title.period.month).padStart(2, '0')}-01`;
  for (const [abbr, names] of listed) {
    const groupCode = GROUP_OF_NOTE[abbr];
    if (!groupCode) continue;
    const codes = new Set(names.map((n) => areaCodeIn('name', n) ?? `?${n}`));
    for (const n of names)
      if (!areaCodeIn('name', n))
        ctx.warn({
          code: 'note-unknown-member',
          severity: 'warning',
          message: `the note lists ${n} in ${abbr}: a name the code lists do not know`,
          at: { file },
        });
    for (const r of rows) {
      if (r.group?.code !== groupCode || !r.code) continue;
      if (!codes.has(r.code))
        ctx.warn({
          code: 'member-not-in-note',
          severity: 'warning',
          message: `${r.name} is printed under ${r.group.name} but the page's note does not list it`,
          at: { file, line: r.row.line },
        });
    }
    const group = groups().find((g) => g.areaCode === groupCode);
    if (group) {
      const defined = new Set(membersAt(group.id, date).map((m) => m.code));
      const missing = [...defined].filter((c) => !codes.has(c));
      const extra = [...codes].filter((c) => !defined.has(c));
      ctx.warn({
        code: 'note-members',
        severity: missing.length || extra.length ? 'warning' : 'info',
        message:
          missing.length || extra.length
            ? `${abbr}: the page's note lists ${codes.size} members; data/groups/${group.id} at ${date} differs (not in the note: ${missing.join(', ') || 'none'}; only in the note: ${extra.join(', ') || 'none'})`
            : `${abbr}: the page's note lists the ${codes.size} members data/groups/${group.id} has at ${date}`,
        at: { file },
      });
    }
  }
  for (const r of rows) {
    if (r.group && r.code && areaByCode(r.code)?.kind === 'group')
      ctx.warn({
        code: 'nested-group',
        severity: 'warning',
        message: `${r.name} is a group printed under ${r.group.name}`,
        at: { file, line: r.row.line },
      });
  }
}
