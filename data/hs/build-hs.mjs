#!/usr/bin/env node
// Dev tool: builds the compact HS files in data/hs/ from the public lists in the public source data (classifications/).
// The product only reads the committed csv files; rerun this when the sources change:
//
//   node data/hs/build-hs.mjs [path/to/source-data]
//
// Outputs (all UTF-8, codes as text with their leading zeros):
//   hs2022.csv, hs2017.csv   code,parent,level,section,unit,description   (UN Comtrade lists H6 / H5)
//   hs-sections.csv          section,name,chapters                        (HS2022 sections and their chapters)
//   hs-correlation.csv       newer,older,code,older_codes                 (UNSD correlation links, one line per
//                            code of the newer edition; older_codes space-separated)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.argv[2] ?? process.env.SOURCE_DATA;
if (!sourceDir) {
  console.error('usage: node ' + process.argv[1] + ' <folder of the public source data> (or set SOURCE_DATA)');
  process.exit(2);
}
const shared = resolve(sourceDir);
const cls = join(shared, 'classifications');
const read = (name) =>
  parse(readFileSync(join(cls, name), 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const write = (name, header, rows) => {
  const text = [header.join(','), ...rows.map((r) => r.map((x) => csvField(String(x))).join(','))].join('\n');
  writeFileSync(join(here, name), `${text}\n`);
  console.log(`${name}: ${rows.length} rows`);
};

// Sections: harmonized-system.csv gives each chapter's section (chapter 99 is filed under TOTAL: no section).
const hs = read('harmonized-system.csv');
const sectionOfChapter = new Map();
for (const r of hs) if (r.level === '2' && r.section !== 'TOTAL') sectionOfChapter.set(r.hscode, r.section);
const sections = read('hs-sections.csv');
const chaptersOf = (s) =>
  [...sectionOfChapter]
    .filter(([, sec]) => sec === s)
    .map(([ch]) => ch)
    .sort();
write(
  'hs-sections.csv',
  ['section', 'name', 'chapters'],
  sections.map((s) => [s.section, s.name.charAt(0).toUpperCase() + s.name.slice(1), chaptersOf(s.section).join(' ')]),
);

// Nomenclatures: the Comtrade lists carry the standard quantity unit; their text is "<code> - <description>".
// The chapter → section map of HS2022 holds for HS2017 too (the 21 sections and their chapters are unchanged
// since HS1992).
for (const [edition, file] of [
  ['2022', 'comtrade_products_HS2022.csv'],
  ['2017', 'comtrade_products_HS2017.csv'],
]) {
  const rows = [];
  for (const r of read(file)) {
    if (r.id === 'TOTAL') continue;
    const prefix = `${r.id} - `;
    if (!r.text.startsWith(prefix)) throw new Error(`${file}: unexpected text for ${r.id}: ${r.text}`);
    const unit = r.aggrlevel === '6' && r.standardUnitAbbr !== 'n/a' ? r.standardUnitAbbr : '';
    const parent = r.parent === 'TOTAL' ? '' : r.parent;
    rows.push([r.id, parent, r.aggrlevel, sectionOfChapter.get(r.id.slice(0, 2)) ?? '', unit, r.text.slice(prefix.length)]);
  }
  write(`hs${edition}.csv`, ['code', 'parent', 'level', 'section', 'unit', 'description'], rows);
}

// Correlations: rows are identified by `adjustment` ("2022 to 2017": code.after is HS2022, code.before HS2017);
// codes lost their leading zeros (10111 is 010111). The SITC rows (1992 to 1988 and older) are left out.
const PAIRS = ['2022 to 2017', '2017 to 2012', '2012 to 2007', '2007 to 2002', '2002 to 1996', '1996 to 1992'];
const pad = (c) => {
  if (!/^\d{5,6}$/.test(c)) throw new Error(`unexpected HS code in the correlation table: ${c}`);
  return c.padStart(6, '0');
};
const links = new Map(); // "2022 to 2017" → Map(newer code → Set(older codes))
for (const r of read('HS_consolidated_comtrade_concordances.csv')) {
  if (!PAIRS.includes(r.adjustment)) continue;
  const m = links.get(r.adjustment) ?? new Map();
  links.set(r.adjustment, m);
  const newer = pad(r['code.after']);
  const set = m.get(newer) ?? new Set();
  m.set(newer, set);
  set.add(pad(r['code.before']));
}
const out = [];
for (const pair of PAIRS) {
  const [newer, older] = pair.split(' to ');
  for (const [code, olders] of [...links.get(pair)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push([`HS${newer}`, `HS${older}`, code, [...olders].sort().join(' ')]);
  }
}
write('hs-correlation.csv', ['newer', 'older', 'code', 'older_codes'], out);
