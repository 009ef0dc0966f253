/**
 * Resolves the distinct area and region codes of a staged file to canonical codes, in TypeScript, and
 * writes the maps into the staging file for the store to join. Unknown codes get a message with the
 * nearest known codes, so the quarantine says what to type instead.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { type AreaScheme, areaByCode, areaCodeIn, suggestArea } from '../model/areas.js';
import { resolveRegion } from '../model/regions.js';
import type { Problem } from '../util/errors.js';
import { UserError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';
import type { Staging } from './staging.js';

export interface CodeMapEntry {
  scheme: string;
  raw: string;
  code: string | null;
  note: string | null;
}

/** A BACI release's country dictionary: numeric code → canonical code. */
export interface BaciDictionary {
  file: string;
  codes: Map<string, string>;
}

/** The BACI dictionary bundled with tradescope (release V202201), used when no `--codes` is given. */
export const BUNDLED_BACI_CODES = ['codes', 'baci_country_codes_V202201.csv'];

/**
 * Reads a BACI country dictionary (`country_code, country_name…, iso_2digit_alpha, iso_3digit_alpha`),
 * latin-1 or UTF-8. A code whose ISO3 is `N/A` (490 Other Asia nes) maps through Comtrade's code list.
 */
export function readBaciDictionary(file: string): BaciDictionary {
  let text: string;
  try {
    const bytes = readFileSync(file);
    const utf8 = bytes.toString('utf8');
    text = utf8.includes('\uFFFD') ? iconv.decode(bytes, 'latin1') : utf8;
  } catch (e) {
    throw new UserError(`cannot read BACI country codes: ${file} (${(e as Error).message})`);
  }
  const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const first = rows[0];
  // releases name the ISO3 column differently: iso_3digit_alpha (≤ V202301), country_iso3 (later)
  const iso3Column = first ? ['iso_3digit_alpha', 'country_iso3', 'iso3'].find((c) => c in first) : undefined;
  if (!first || !('country_code' in first) || !iso3Column) {
    throw new UserError(
      `not a BACI country dictionary: ${file} (expected a header with country_code and iso_3digit_alpha or country_iso3)`,
    );
  }
  // Several codes can share an ISO3 (711 Southern African Customs Union and 710 South Africa are both ZAF;
  // 58 Belgium-Luxembourg and 56 Belgium are both BEL): those map through Comtrade's code list, which keeps
  // them apart, and only a code Comtrade does not know takes the ISO3.
  const iso3Count = new Map<string, number>();
  for (const r of rows) {
    const iso3 = (r[iso3Column] ?? '').trim();
    iso3Count.set(iso3, (iso3Count.get(iso3) ?? 0) + 1);
  }
  const codes = new Map<string, string>();
  for (const r of rows) {
    const code = String(Number(r.country_code));
    const iso3 = (r[iso3Column] ?? '').trim();
    const byIso3 = iso3 && iso3 !== 'N/A' ? (areaCodeIn('iso3', iso3) ?? areaByCode(iso3)?.code) : undefined;
    const byComtrade = areaCodeIn('comtrade', code);
    const shared = (iso3Count.get(iso3) ?? 0) > 1;
    const canonical = shared ? (byComtrade ?? byIso3) : (byIso3 ?? byComtrade);
    if (canonical) codes.set(code, canonical);
  }
  return { file, codes };
}

export function bundledBaciDictionary(): BaciDictionary {
  return readBaciDictionary(dataPath(...BUNDLED_BACI_CODES));
}

/** Resolves one area code in a scheme. */
export function resolveAreaCode(
  scheme: string,
  raw: string,
  baci?: BaciDictionary,
): { code: string | null; note: string | null; fallback?: boolean } {
  const s = raw.trim();
  if (s === '') return { code: null, note: 'missing area code' };
  let code: string | undefined;
  let fallback = false;
  if (scheme === 'canonical') code = areaByCode(s)?.code;
  else if (scheme === 'baci') {
    const n = /^\d+$/.test(s) ? String(Number(s)) : s;
    code = baci?.codes.get(n);
    if (!code) {
      code = areaCodeIn('iso-numeric', n);
      fallback = code !== undefined;
    }
  } else code = areaCodeIn(scheme as AreaScheme, s);
  if (code) return { code, note: fallback ? `ISO numeric fallback for BACI code ${s}` : null, fallback };
  const hints = suggestArea(s)
    .map((h) =>
      h.input === s || h.input === s.toUpperCase() || h.input === s.toLowerCase()
        ? `${h.area.code} (${s} is its ${h.scheme} code: set the code scheme in the mapping)`
        : `${h.input} (${h.area.code} ${h.area.nameEn})`,
    )
    .filter((x, i, a) => a.indexOf(x) === i);
  const hint = hints.length ? ` (did you mean ${hints.join(', ')}?)` : '';
  return { code: null, note: `unknown ${scheme === 'name' ? 'area name' : `${scheme} code`}: ${s}${hint}` };
}

/**
 * Fills `code_map` and `region_map` of a staging file from its distinct codes. Returns warnings (e.g. BACI
 * codes that were mapped through the ISO numeric fallback).
 */
export async function resolveStagedCodes(staging: Staging, baci?: BaciDictionary): Promise<Problem[]> {
  const db = staging.db;
  const warnings: Problem[] = [];
  const baciCodes = await db
    .one(`SELECT value FROM ${staging.catalog}.settings WHERE key = 'codes'`)
    .catch(() => undefined);
  const pairs = baciCodes
    ? String(baciCodes.value)
        .split(',')
        .filter(Boolean)
        .map((raw) => ({ scheme: 'baci', raw }))
    : await db.all(
        `SELECT DISTINCT reporter_scheme AS scheme, reporter AS raw FROM ${staging.catalog}.staged
         UNION SELECT DISTINCT partner_scheme, partner FROM ${staging.catalog}.staged`,
      );
  const entries: CodeMapEntry[] = [];
  const fallbacks: string[] = [];
  for (const p of pairs) {
    const scheme = String(p.scheme);
    const raw = String(p.raw);
    const r = resolveAreaCode(scheme, raw, baci);
    if (r.fallback) fallbacks.push(`${raw}→${r.code}`);
    entries.push({ scheme, raw, code: r.code, note: r.note });
  }
  if (fallbacks.length) {
    warnings.push({
      code: 'baci-iso-fallback',
      severity: 'warning',
      message: `${fallbacks.length} BACI country code(s) not in ${baci?.file ?? 'the dictionary'}, mapped as ISO numeric: ${fallbacks.sort().join(', ')} (give the release's own dictionary with --codes)`,
    });
  }
  await insertRows(
    staging,
    'code_map',
    entries.map((e) => [e.scheme, e.raw, e.code, e.note]),
  );
  const regions = await db
    .all(`SELECT DISTINCT region AS raw FROM ${staging.catalog}.staged WHERE region <> ''`)
    .catch(() => [] as { raw: unknown }[]);
  const regionRows: (string | null)[][] = [];
  for (const r of regions) {
    const raw = String(r.raw);
    const code = resolveRegion(raw);
    regionRows.push([raw, code ?? null]);
  }
  await insertRows(staging, 'region_map', regionRows);
  return warnings;
}

async function insertRows(staging: Staging, table: string, rows: (string | null)[][]): Promise<void> {
  if (rows.length === 0) return;
  const a = await staging.appender_(table);
  for (const r of rows) {
    for (const v of r) {
      if (v === null) a.appendNull();
      else a.appendVarchar(v);
    }
    a.endRow();
  }
  a.closeSync();
}
