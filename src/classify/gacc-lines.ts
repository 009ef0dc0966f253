/**
 * GAC's commodity lines of the preliminary release tables (5) major exports and (6) major imports, as a product
 * classification of their own (`GACC-LINE`): id, English and Chinese names, quantity unit, the starred aggregates
 * and the lines they include, every year's spelling mapped to one line, approximate HS links, and the basket part
 * each labour-intensive line answers for. The data is `data/gacc-lines/gacc-lines.yaml` (provenance in
 * data/PROVENANCE.md).
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { dataPath } from '../util/paths.js';

/** The classification id of the lines in the store. */
export const GACC_LINE_CLASSIFICATION = 'GACC-LINE';

const names = z.strictObject({ en: z.string().min(1), zh: z.string().min(1) });
const unitSchema = z.strictObject({
  en: z.string().min(1),
  zh: z.string().min(1),
  years: z.array(z.number().int()).optional(),
});

const lineSchema = z.strictObject({
  id: z.string().regex(/^[A-Z0-9]{2,6}$/),
  tables: z.array(z.union([z.literal(5), z.literal(6)])).min(1),
  name: names,
  spellings: z.array(z.strictObject({ text: z.string().min(1), years: z.array(z.number().int()).optional() })).min(1),
  unit: unitSchema.optional(),
  units: z.array(unitSchema).optional(),
  aggregate: z.boolean().optional(),
  includes: z.array(z.string()).optional(),
  hs: z
    .strictObject({ codes: z.array(z.string().regex(/^\d{2,6}$/)).min(1), fit: z.enum(['approximate', 'exact']) })
    .optional(),
  basket: z
    .string()
    .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/)
    .optional(),
  note: z.string().optional(),
});

const fileSchema = z.strictObject({
  classification: z.literal(GACC_LINE_CLASSIFICATION),
  name: names,
  lines: z.array(lineSchema).min(1),
});

export type GaccLine = z.output<typeof lineSchema>;

interface Tables {
  lines: readonly GaccLine[];
  byId: ReadonlyMap<string, GaccLine>;
  bySpelling: ReadonlyMap<string, GaccLine>;
}

let tables: Tables | undefined;

/**
 * Normalises a line name for matching: NFKC (full-width brackets and letters become ASCII), lower case, stars
 * dropped, spaces removed (GAC's spacing around brackets and commas varies between years).
 * @example normaliseLineName(' Motor vehicles（including chassis fitted with engines) ') // 'motorvehicles(includingchassisfittedwithengines)'
 */
export function normaliseLineName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\*/g, '').replace(/\s+/g, '');
}

function load(): Tables {
  if (tables) return tables;
  const file = dataPath('gacc-lines', 'gacc-lines.yaml');
  const parsed = fileSchema.safeParse(YAML.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const lines = parsed.data.lines;
  const byId = new Map<string, GaccLine>();
  const bySpelling = new Map<string, GaccLine>();
  for (const line of lines) {
    if (byId.has(line.id)) throw new Error(`${file}: duplicate line id ${line.id}`);
    byId.set(line.id, line);
    for (const s of [line.name.en, line.name.zh, ...line.spellings.map((x) => x.text)]) {
      const key = normaliseLineName(s);
      const other = bySpelling.get(key);
      if (other && other.id !== line.id) throw new Error(`${file}: spelling ${s} names ${other.id} and ${line.id}`);
      bySpelling.set(key, line);
    }
  }
  for (const line of lines) {
    for (const inc of line.includes ?? []) {
      if (!byId.has(inc)) throw new Error(`${file}: ${line.id} includes unknown line ${inc}`);
    }
  }
  tables = { lines: Object.freeze(lines), byId, bySpelling };
  return tables;
}

/**
 * Every line, in the file's order.
 * @example gaccLines().filter((l) => l.aggregate).map((l) => l.id) // ['AGRI', 'MEPRD', 'HITEC']
 */
export function gaccLines(): readonly GaccLine[] {
  return load().lines;
}

/**
 * The line with this id (case-insensitive), or undefined.
 * @example gaccLineById('footw')?.name.zh // '鞋靴'
 */
export function gaccLineById(id: string): GaccLine | undefined {
  return load().byId.get(id.trim().toUpperCase());
}

/**
 * The line a printed name stands for, in any year's spelling, English or Chinese, starred or not.
 * @example gaccLineByName('Aquatic/Marine products')?.id // 'AQUA'
 * @example gaccLineByName('*Electrical-Mechanical Products')?.id // 'MEPRD'
 */
export function gaccLineByName(text: string): GaccLine | undefined {
  return load().bySpelling.get(normaliseLineName(text));
}

/**
 * The line's quantity unit for a year: the unit seen on that year's pages when the line records one, else its
 * default unit; undefined for a line printed without quantities.
 * @example gaccLineUnit(gaccLineById('FOOTW')!, 2019)?.en // '10,000 Tons'
 */
export function gaccLineUnit(line: GaccLine, year: number): { en: string; zh: string } | undefined {
  const dated = (line.units ?? []).find((u) => u.years?.includes(year));
  return dated ?? line.unit;
}

/**
 * The lines that answer for a basket or one of its parts on release data (`labour-intensive`,
 * `labour-intensive/footwear`): every line whose `basket` is the part, or any part of the basket.
 * @example gaccLinesForBasket('labour-intensive/footwear').map((l) => l.id) // ['FOOTW']
 */
export function gaccLinesForBasket(selection: string): GaccLine[] {
  const [basket, part] = selection.trim().replace(':', '/').split('/');
  return load().lines.filter((l) => {
    if (!l.basket) return false;
    const [b, p] = l.basket.split('/');
    return b === basket && (part === undefined || p === part);
  });
}
