/**
 * Mapping files: how the columns of a delimited file become StagedRows. YAML or JSON, checked with zod;
 * errors name the mapping file and the key path (`mappings/x.yaml: values.0.unit: unknown money unit …`).
 * The schema is documented with an example in `mappings/README.md`.
 *
 * Design rules:
 * - Columns are referenced by header name (exact text after trimming; an empty header, as R writes for
 *   its row-index column, is the name '').
 * - Every header column must be used or listed under `ignore` with a note: nothing is dropped silently,
 *   and the notes are shown in the ingest report.
 * - A field is either fixed (`value:`) or read from a column (`column:`), with an optional `map` from the
 *   source text to the field's value (text not in the map is a row problem).
 * - Units are checked here with `parseMoneyUnit`, so `million USD` is stored as its label `USD*1e6`.
 */

import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { monthFromName, tryParsePeriod } from '../model/period.js';
import { parseMoneyUnit, weightExponent } from '../model/units.js';
import { type Problem, UserError } from '../util/errors.js';
import { checkEncoding } from './encoding.js';
import type { CodeScheme, RowFlag, RowMeasure } from './staged-row.js';

const SCHEMES = ['canonical', 'iso3', 'iso2', 'iso-numeric', 'm49', 'comtrade', 'baci', 'eurostat', 'name'] as const;
const FLAGS = ['reported', 'mirror', 'estimated', 'converted', 'derived'] as const;
const MEASURES = ['value', 'cumulative', 'yoy'] as const;

/** A field fixed for the file (`value`) or read from a column (`column`, optionally through `map`). */
const field = z
  .strictObject({
    value: z.string().optional(),
    column: z.string().optional(),
    map: z.record(z.string(), z.string()).optional(),
  })
  .refine((f) => (f.value === undefined) !== (f.column === undefined), {
    message: 'give exactly one of value (fixed for the file) or column (a header name)',
  })
  .refine((f) => !(f.map && f.value !== undefined), { message: 'map only applies to a column' });

const codeField = z
  .strictObject({
    value: z.string().optional(),
    column: z.string().optional(),
    map: z.record(z.string(), z.string()).optional(),
    scheme: z.enum(SCHEMES),
  })
  .refine((f) => (f.value === undefined) !== (f.column === undefined), {
    message: 'give exactly one of value (fixed for the file) or column (a header name)',
  });

const flowText = z.string().regex(/^(X|M|RX|RM)$/, 'a flow is X, M, RX or RM');

const moneyUnit = z.string().transform((s, ctx) => {
  try {
    return parseMoneyUnit(s).label;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

const weightUnit = z.string().refine(
  (s) => {
    try {
      weightExponent(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown weight unit (use kg or t)' },
);

const PERIOD_TOKENS = /(yyyy|MMMM|MMM|MM|M|dd|d|Q)/g;

const periodSchema = z
  .strictObject({
    column: z.string().optional(),
    value: z.string().optional(),
    /**
     * Format of the column's text: `yyyy` year, `MM` two-digit month, `M` one or two digits, `MMMM` an
     * English month name, `MMM` its three-letter abbreviation, `dd`/`d` a day (read, not used), `Q` a
     * quarter digit; text in single quotes is literal (`yyyy-'Q'Q`), as is any other character. Examples: `MMMM yyyy`, `yyyy/MM`, `yyyy.MM`, `yyyy-MM-dd`, `yyyy`.
     */
    format: z.string().optional(),
  })
  .refine((f) => (f.value === undefined) !== (f.column === undefined), {
    message: 'give exactly one of value (a period such as 2019) or column',
  })
  .refine((f) => f.column === undefined || f.format?.includes('yyyy') === true, {
    message: 'a period column needs a format with yyyy (e.g. yyyy-MM-dd, MMMM yyyy, yyyy)',
  });

const valueSchema = z.strictObject({
  column: z.string(),
  /** Flow of this column's cells (wide layouts: Exports → X, Imports → M); else the `flow` field. */
  flow: flowText.optional(),
  unit: moneyUnit,
  measure: z.enum(MEASURES).default('value'),
});

export const mappingSchema = z
  .strictObject({
    dataset: z.strictObject({
      id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a dataset id is lowercase letters, digits, . _ -'),
      name: z.string(),
      source: z.string(),
      license: z.string().optional(),
      notes: z.string().optional(),
      /** Release date of the data (ISO date), when known. */
      vintage: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'a vintage is an ISO date (2020-01-15)')
        .optional(),
    }),
    file: z
      .strictObject({
        /** `,` `;` `\t` (or `tab`) `|`, or `auto` (counted in the header line). */
        delimiter: z.string().default('auto'),
        /** `auto` (BOM, then sniffing) or a name: utf-8, latin-1, windows-1252, gb18030 … */
        encoding: z.string().default('auto'),
        /** Physical line number of the header row (1-based). Lines before it are not data. */
        header: z.number().int().min(1).default(1),
        quote: z.string().length(1).default('"'),
        /** Rows may carry one extra, empty field after the last column (a trailing delimiter). */
        trailingDelimiter: z.boolean().default(false),
      })
      .default({ delimiter: 'auto', encoding: 'auto', header: 1, quote: '"', trailingDelimiter: false }),
    numbers: z
      .strictObject({
        decimal: z.string().length(1).default('.'),
        thousands: z.string().max(1).default(''),
        /** Cell texts meaning "no value" (the value is staged as ''). */
        missing: z.array(z.string()).default(['']),
        /** Rewrite 17-digit float prints (7.0999999999999996) as the shortest equal decimal (7.1). */
        shortestRoundTrip: z.boolean().default(false),
      })
      .default({ decimal: '.', thousands: '', missing: [''], shortestRoundTrip: false }),
    reporter: codeField,
    partner: codeField,
    /** Flow for every value column without its own `flow`. */
    flow: field.optional(),
    period: periodSchema,
    product: z
      .strictObject({
        /** HS, H0…H6, CN8, SITC3 … or TOTAL. */
        classification: z.string().min(1),
        column: z.string().optional(),
        value: z.string().optional(),
        /** Left-pad codes with zeros to this length (codes that lost their leading zeros). */
        padTo: z.number().int().min(1).max(12).optional(),
      })
      .refine((f) => (f.value === undefined) !== (f.column === undefined), {
        message: 'give exactly one of value (e.g. TOTAL) or column',
      })
      .default({ classification: 'TOTAL', value: 'TOTAL' }),
    values: z.array(valueSchema).min(1, 'at least one value column'),
    weight: z.strictObject({ column: z.string(), unit: weightUnit }).optional(),
    quantity: z.strictObject({ column: z.string(), unit: z.string() }).optional(),
    flag: z
      .strictObject({
        value: z.enum(FLAGS).optional(),
        column: z.string().optional(),
        /** Cell text (trimmed) → flag; an empty cell gets `default`. */
        map: z.record(z.string(), z.enum(FLAGS)).optional(),
        default: z.enum(FLAGS).default('reported'),
      })
      .optional(),
    seasonallyAdjusted: z.boolean().default(false),
    tradeMode: field.optional(),
    region: field.optional(),
    ignore: z
      .array(
        z.strictObject({
          column: z.string(),
          note: z.string().min(1, 'say why the column is not loaded'),
          /** When given, every row must hold exactly this text (trimmed) in the column, or one of these texts. */
          expect: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
        }),
      )
      .default([]),
  })
  .superRefine((m, ctx) => {
    m.values.forEach((v, i) => {
      if (!v.flow && !m.flow)
        ctx.addIssue({
          code: 'custom',
          path: ['values', i, 'flow'],
          message: 'no flow: give values[].flow or flow',
        });
    });
    if (m.values.length > 1 && (m.weight || m.quantity))
      ctx.addIssue({
        code: 'custom',
        path: [m.weight ? 'weight' : 'quantity'],
        message: 'weight and quantity need a single value column (they would be counted once per value column)',
      });
    if (m.flow?.value !== undefined && !/^(X|M|RX|RM)$/.test(m.flow.value))
      ctx.addIssue({ code: 'custom', path: ['flow', 'value'], message: 'a flow is X, M, RX or RM' });
    if (m.flow?.map)
      for (const [k, v] of Object.entries(m.flow.map))
        if (!/^(X|M|RX|RM)$/.test(v))
          ctx.addIssue({ code: 'custom', path: ['flow', 'map', k], message: 'a flow is X, M, RX or RM' });
    if (m.flag && (m.flag.value === undefined) === (m.flag.column === undefined))
      ctx.addIssue({ code: 'custom', path: ['flag'], message: 'give exactly one of value or column' });
    const d = m.file.delimiter;
    if (!['auto', ',', ';', '\t', 'tab', '|'].includes(d))
      ctx.addIssue({ code: 'custom', path: ['file', 'delimiter'], message: 'use , ; tab | or auto' });
    if (m.file.encoding !== 'auto') {
      try {
        checkEncoding(m.file.encoding);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['file', 'encoding'], message: (e as Error).message });
      }
    }
    if (m.period.value !== undefined && typeof tryParsePeriod(m.period.value) === 'string')
      ctx.addIssue({
        code: 'custom',
        path: ['period', 'value'],
        message: tryParsePeriod(m.period.value) as string,
      });
    if (m.period.format) {
      try {
        compilePeriodFormat(m.period.format);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['period', 'format'], message: (e as Error).message });
      }
    }
  });

export type MappingSpec = z.infer<typeof mappingSchema>;

/** A loaded mapping: the checked spec plus what the reader compiles from it. */
export interface Mapping extends MappingSpec {
  /** Path of the mapping file (for messages). */
  source: string;
  /** Compiled period parser (undefined when the period is fixed). */
  parsePeriod?: (text: string) => string | undefined;
}

/**
 * Compiles a period format into a parser returning period text (`2001-01`, `2019`, `2019-Q1`) or undefined.
 * @example compilePeriodFormat('MMMM yyyy')('January 2001') // '2001-01'
 */
export function compilePeriodFormat(format: string): (text: string) => string | undefined {
  const parts: string[] = [];
  let re = '^';
  // Text in single quotes is literal ('Q' in yyyy-'Q'Q); '' is a quote.
  const pieces = format.split(/('[^']*')/);
  for (const piece of pieces) {
    if (piece.startsWith("'") && piece.endsWith("'") && piece.length >= 2) {
      re += piece.length === 2 ? "'" : escapeRe(piece.slice(1, -1));
      continue;
    }
    let last = 0;
    for (const m of piece.matchAll(PERIOD_TOKENS)) {
      re += escapeRe(piece.slice(last, m.index));
      const t = m[0];
      parts.push(t);
      re +=
        t === 'yyyy'
          ? '(\\d{4})'
          : t === 'MMMM' || t === 'MMM'
            ? '([A-Za-z]+)\\.?'
            : t === 'MM' || t === 'dd'
              ? '(\\d{2})'
              : t === 'Q'
                ? '([1-4])'
                : '(\\d{1,2})';
      last = (m.index ?? 0) + t.length;
    }
    re += escapeRe(piece.slice(last));
  }
  re += '$';
  if (!parts.includes('yyyy')) throw new Error('the format has no yyyy');
  if (new Set(parts).size !== parts.length) throw new Error('a token appears twice');
  const hasMonth = parts.some((p) => p.startsWith('M'));
  if (hasMonth && parts.includes('Q')) throw new Error('a format has a month or a quarter, not both');
  const rx = new RegExp(re);
  return (text: string) => {
    const m = rx.exec(text.trim());
    if (!m) return undefined;
    let year = '';
    let month = 0;
    let quarter = '';
    let badDay = false;
    parts.forEach((p, i) => {
      const g = m[i + 1]!;
      if (p === 'yyyy') year = g;
      else if (p === 'MMMM' || p === 'MMM') {
        // an unknown name gives month 0, rejected below like any month out of range
        month = monthFromName(g, p === 'MMMM' ? 'full' : 'short') ?? 0;
      } else if (p === 'MM' || p === 'M') month = Number(g);
      else if (p === 'dd' || p === 'd') {
        const d = Number(g);
        if (d < 1 || d > 31) badDay = true;
      } else if (p === 'Q') quarter = g;
    });
    const y = Number(year);
    if (y < 1900 || y > 2199 || badDay) return undefined;
    if (hasMonth) {
      if (month < 1 || month > 12) return undefined;
      return `${year}-${String(month).padStart(2, '0')}`;
    }
    return quarter ? `${year}-Q${quarter}` : year;
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Checks a parsed mapping object; `source` names it in errors. */
export function parseMapping(raw: unknown, source: string): Mapping {
  const r = mappingSchema.safeParse(raw);
  if (!r.success) {
    const problems: Problem[] = r.error.issues.map((iss) => {
      const path = iss.path.length > 0 ? iss.path.join('.') : '(top level)';
      return {
        code: 'bad-mapping',
        severity: 'error',
        message: `${path}: ${iss.message}`,
        at: { file: source, field: path },
      };
    });
    throw new UserError(
      `invalid mapping ${source}:\n${problems.map((p) => `  ${source}: ${p.message}`).join('\n')}`,
      problems,
    );
  }
  const spec = r.data;
  const mapping: Mapping = { ...spec, source };
  if (spec.period.column !== undefined && spec.period.format)
    mapping.parsePeriod = compilePeriodFormat(spec.period.format);
  return mapping;
}

/**
 * Loads and checks a mapping file (`.yaml`, `.yml` or `.json`).
 * @example const m = await loadMapping('mappings/census-usa-china.yaml')
 */
export async function loadMapping(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read mapping ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UserError(
      `invalid mapping ${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  return parseMapping(raw, path);
}

export type { CodeScheme, RowFlag, RowMeasure };
