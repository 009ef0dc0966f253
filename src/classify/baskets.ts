/**
 * Product baskets: named sets of HS codes ("New Three", labour-intensive products, stages of processing …)
 * kept as versioned YAML files, one basket a file, in `data/baskets/` and in the user's own directory
 * (`$TRADESCOPE_BASKETS` or the `dir` option).
 *
 * A basket is defined in one HS edition; {@link expandBasket} lists each part's subheadings in that edition and
 * {@link applyBasket} carries it to the edition of the data through the UNSD correlation, saying for each
 * target code whether it is exact, over-inclusive (it also holds codes outside the part) or under-inclusive
 * (part of a member went to a target code that was not selected).
 *
 * @example
 * const nt = basketById('new-three')!;
 * expandBasket(nt).find((p) => p.id === 'pv-cells')?.codes   // ['854142', '854143']
 * applyBasket(nt, 'HS2017').parts[2]?.codes                   // ['854140'], flagged over-inclusive (LEDs)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, delimiter, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatProblem, type Problem, type ProblemCode, UserError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';
import { type HsLink, mapCodes } from './hs-correlation.js';
import {
  editionOf,
  HS_EDITIONS,
  type HsEdition,
  hsCodes,
  hsLookup,
  looksLikeCode,
  normalizeHsCode,
} from './hs-nomenclature.js';

/** English and Chinese names. */
export interface BasketName {
  en: string;
  zh: string;
}

/** One part of a basket: include and exclude codes (2, 4 or 6 digits, normalised without dots). */
export interface BasketPart {
  id: string;
  name: BasketName;
  include: string[];
  exclude: string[];
}

export interface BasketSource {
  title: string;
  url?: string;
  document?: string;
}

/** A validated basket. */
export interface Basket {
  id: string;
  version: string;
  name: BasketName;
  /** The HS edition the member codes are written in. */
  edition: HsEdition;
  parts: BasketPart[];
  /** True when the file has no `parts` (one implicit part, named like the basket). */
  implicitPart: boolean;
  /** Parts may share codes (a source classification that puts a code in two classes); listed, not an error. */
  allowOverlaps: boolean;
  source: BasketSource;
  notes: string;
  validFrom?: string;
  /** The file the basket was read from. */
  file: string;
}

/** A part's subheadings in one edition. */
export interface ExpandedPart {
  id: string;
  name: BasketName;
  codes: string[];
}

/** Source codes of an edition: the HS6 list of the edition (injectable for tests). */
export type HsCodeList = (edition: HsEdition) => readonly string[];

/** Correlation between editions, with the signature of `mapCodes` in hs-correlation.ts. */
export type Correlate = (codes: readonly string[], from: HsEdition, to: HsEdition) => Map<string, HsLink[]>;

export interface LoadOptions {
  /** Users' basket directories (default: `$TRADESCOPE_BASKETS`, several separated by the path delimiter). */
  dir?: string | string[];
  /** The bundled baskets (default `data/baskets`); `false` to read only the user directories. */
  bundledDir?: string | false;
  /** HS6 codes of an edition (default: the bundled nomenclature, `hsCodes`). */
  codes?: HsCodeList;
}

// ---------------------------------------------------------------------------------------------------------
// File schema
// ---------------------------------------------------------------------------------------------------------

const ID = /^[a-z0-9][a-z0-9-]*$/;
const idSchema = z.string().regex(ID, 'must be lowercase letters, digits and dashes (e.g. new-three)');
const nameSchema = z.strictObject({ en: z.string().min(1), zh: z.string().min(1) });
/** Codes must be strings: unquoted YAML turns 8703.80 into 8703.8 and 010121 into 10121. */
const codeSchema = z.unknown().superRefine((v, ctx) => {
  if (typeof v !== 'string')
    ctx.addIssue({
      code: 'custom',
      message: `code must be a quoted string, not ${typeof v} (write '8703.80', not 8703.80)`,
    });
});
const codesSchema = z.array(codeSchema);
const partSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  include: codesSchema.min(1, 'a part needs at least one code'),
  exclude: codesSchema.optional(),
});
const fileSchema = z
  .strictObject({
    id: idSchema,
    version: z.union([z.string().min(1), z.number()]),
    name: nameSchema,
    edition: z.string(),
    parts: z.array(partSchema).min(1).optional(),
    include: codesSchema.min(1).optional(),
    exclude: codesSchema.optional(),
    allowOverlaps: z.boolean().optional(),
    source: z
      .strictObject({
        title: z.string().min(1),
        url: z.string().min(1).optional(),
        document: z.string().min(1).optional(),
      })
      .refine((s) => s.url !== undefined || s.document !== undefined, 'source needs a url or a document'),
    notes: z.string().optional(),
    validFrom: z
      .union([z.string(), z.date()])
      .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)))
      .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), 'validFrom must be a date YYYY-MM-DD')
      .optional(),
  })
  .refine((b) => (b.parts === undefined) !== (b.include === undefined), 'a basket has either parts or include');

type BasketFile = z.infer<typeof fileSchema>;

// ---------------------------------------------------------------------------------------------------------
// Loading and validation
// ---------------------------------------------------------------------------------------------------------

type PathKey = string | number;
const keyPath = (path: readonly PathKey[]): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');

/** Finds where a key path stands in the YAML text, for the problem's line. */
type LineOf = (path: readonly PathKey[]) => number | undefined;

function problem(
  code: ProblemCode,
  message: string,
  file: string,
  path: readonly PathKey[],
  lineOf: LineOf,
  value?: unknown,
  severity: Problem['severity'] = 'error',
): Problem {
  const line = lineOf(path);
  return {
    code,
    severity,
    message,
    at: { file, ...(line !== undefined ? { line } : {}), ...(path.length ? { field: keyPath(path) } : {}) },
    ...(value !== undefined ? { value: typeof value === 'string' ? value : JSON.stringify(value) } : {}),
  };
}

/** HS6 codes under a code of any level, from a sorted list. */
function under(code: string, all: readonly string[]): string[] {
  if (code.length === 6) return all.includes(code) ? [code] : [];
  return all.filter((c) => c.startsWith(code));
}

const listCache = new Map<HsEdition, readonly string[]>();
const defaultCodes: HsCodeList = (edition) => {
  let l = listCache.get(edition);
  if (!l) {
    l = hsCodes(edition);
    listCache.set(edition, l);
  }
  return l;
};

/**
 * Parses and validates one basket file. Problems name the file, the key path (`parts[2].include[0]`), the line
 * and the value; the basket is returned only when there is no error.
 * @example const { basket, problems } = parseBasket(readFileSync(f, 'utf8'), f)
 */
export function parseBasket(
  text: string,
  file: string,
  codes: HsCodeList = defaultCodes,
): { basket?: Basket; problems: Problem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const lineOf: LineOf = (path) => {
    for (let p = [...path]; ; p = p.slice(0, -1)) {
      const node = p.length ? doc.getIn(p, true) : doc.contents;
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lc.linePos(range[0]).line;
      if (!p.length) return undefined;
    }
  };
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        code: 'bad-yaml',
        severity: 'error' as const,
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        at: { file, line: e.linePos?.[0].line ?? lc.linePos(e.pos[0]).line },
      })),
    };
  }
  const raw: unknown = doc.toJS();
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => {
        const path = i.path.filter((k): k is PathKey => typeof k !== 'symbol');
        const value = valueAt(raw, path);
        return problem('bad-basket', i.message, file, path, lineOf, isScalar(value) ? value : undefined);
      }),
    };
  }
  return validate(parsed.data, file, lineOf, codes);
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function valueAt(raw: unknown, path: readonly PathKey[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PathKey, unknown>)[k] : undefined;
  return v;
}

function validate(
  b: BasketFile,
  file: string,
  lineOf: LineOf,
  codeList: HsCodeList,
): { basket?: Basket; problems: Problem[] } {
  const problems: Problem[] = [];
  const err = (code: ProblemCode, message: string, path: PathKey[], value?: unknown, severity?: Problem['severity']) =>
    problems.push(problem(code, message, file, path, lineOf, value, severity));

  const edition = editionOf(b.edition);
  if (!edition) {
    err('unknown-edition', `unknown HS edition (use ${HS_EDITIONS.join(', ')})`, ['edition'], b.edition);
    return { problems };
  }
  const all = codeList(edition);
  const rawParts = b.parts ?? [{ id: b.id, name: b.name, include: b.include ?? [], exclude: b.exclude }];
  const partPath = (i: number, key: string): PathKey[] => (b.parts ? ['parts', i, key] : [key]);

  /** Normalises a code and checks it against the edition; a code of another edition says which. */
  const checkCode = (value: unknown, path: PathKey[]): string | undefined => {
    const text = String(value);
    const c = normalizeHsCode(text);
    if (!c || !/^\d+$/.test(c)) {
      err('bad-code', 'not an HS code (2, 4 or 6 digits, dots allowed: 85, 8541, 8541.43)', path, text);
      return undefined;
    }
    if (under(c, all).length) return c;
    const elsewhere = HS_EDITIONS.filter((e) => e !== edition && under(c, codeList(e)).length > 0);
    if (elsewhere.length)
      err(
        'wrong-edition',
        `code not in ${edition}, the basket's edition (it is a ${elsewhere.join('/')} code: check \`edition\` or the code)`,
        path,
        text,
      );
    else err('unknown-code', `unknown HS code in ${edition}`, path, text);
    return undefined;
  };

  const seenParts = new Map<string, number>();
  const parts: BasketPart[] = [];
  const expanded: Set<string>[] = [];
  rawParts.forEach((p, i) => {
    const prev = seenParts.get(p.id);
    if (prev !== undefined)
      err('duplicate-id', `duplicate part id (also parts[${prev}])`, b.parts ? ['parts', i, 'id'] : ['id'], p.id);
    seenParts.set(p.id, i);
    const include: string[] = [];
    p.include.forEach((v, j) => {
      const c = checkCode(v, [...partPath(i, 'include'), j]);
      if (c) include.push(c);
    });
    const exclude: string[] = [];
    (p.exclude ?? []).forEach((v, j) => {
      const path = [...partPath(i, 'exclude'), j];
      const c = checkCode(v, path);
      if (!c) return;
      if (!include.some((inc) => c.startsWith(inc) && c !== inc))
        err('exclude-outside', `exclude is not under an include of part ${p.id} (${include.join(', ')})`, path, v);
      else exclude.push(c);
    });
    const codes = new Set(include.flatMap((c) => under(c, all)));
    for (const c of exclude) for (const x of under(c, all)) codes.delete(x);
    if (include.length === p.include.length && codes.size === 0)
      err('empty-part', `part ${p.id} has no subheading left after its excludes`, partPath(i, 'include'));
    parts.push({ id: p.id, name: p.name, include, exclude });
    expanded.push(codes);
  });

  // overlaps between parts: named at the include of the later part that brings the code
  const owner = new Map<string, number>();
  const overlaps = new Map<string, { a: number; b: number; codes: string[] }>();
  expanded.forEach((codes, i) => {
    for (const c of codes) {
      const o = owner.get(c);
      if (o === undefined) owner.set(c, i);
      else {
        const key = `${o}/${i}`;
        const entry = overlaps.get(key) ?? { a: o, b: i, codes: [] };
        entry.codes.push(c);
        overlaps.set(key, entry);
      }
    }
  });
  for (const { a, b: i, codes } of overlaps.values()) {
    const part = parts[i]!;
    const j = part.include.findIndex((inc) => codes.some((c) => c.startsWith(inc)));
    const shown = codes.slice(0, 10).join(', ') + (codes.length > 10 ? ` … (${codes.length} codes)` : '');
    err(
      'overlap',
      `part ${part.id} overlaps part ${parts[a]!.id}: ${shown}${b.allowOverlaps ? ' (allowOverlaps: listed, not an error)' : ' (a code may be in one part only; set allowOverlaps: true if the source classification does this)'}`,
      [...partPath(i, 'include'), ...(j >= 0 ? [j] : [])],
      part.include[j] ?? codes[0],
      b.allowOverlaps ? 'warning' : 'error',
    );
  }

  if (problems.some((p) => p.severity === 'error')) return { problems };
  const basket: Basket = {
    id: b.id,
    version: String(b.version),
    name: b.name,
    edition,
    parts,
    implicitPart: b.parts === undefined,
    allowOverlaps: b.allowOverlaps ?? false,
    source: b.source,
    notes: b.notes ?? '',
    ...(b.validFrom ? { validFrom: b.validFrom } : {}),
    file,
  };
  if (basename(file).replace(/\.ya?ml$/, '') !== b.id)
    err('file-name', `basket id ${b.id} differs from the file name`, ['id'], b.id, 'warning');
  return { basket, problems };
}

/**
 * Reads and validates one basket file.
 * @example loadBasketFile('my-baskets/solar-glass.yaml').problems.map(formatProblem)
 */
export function loadBasketFile(file: string, codes?: HsCodeList): { basket?: Basket; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return {
      problems: [
        {
          code: 'unreadable',
          severity: 'error',
          message: `cannot read basket file: ${(e as Error).message}`,
          at: { file },
        },
      ],
    };
  }
  return parseBasket(text, file, codes);
}

function userDirs(o: LoadOptions): string[] {
  const d = o.dir ?? process.env.TRADESCOPE_BASKETS;
  if (d === undefined) return [];
  return (Array.isArray(d) ? d : d.split(delimiter)).filter(Boolean).map((x) => resolve(x));
}

/**
 * Loads every basket: the bundled ones and the user's (`$TRADESCOPE_BASKETS` or `dir`), each `*.yaml`/`*.yml`
 * file one basket. Returns the valid baskets and all problems (a bad file does not hide the others); ids must
 * be unique across all directories.
 * @example const { baskets, problems } = loadBaskets({ dir: 'my-baskets' })
 */
export function loadBaskets(o: LoadOptions = {}): { baskets: Basket[]; problems: Problem[] } {
  const dirs = [...(o.bundledDir === false ? [] : [o.bundledDir ?? dataPath('baskets')]), ...userDirs(o)];
  const problems: Problem[] = [];
  const byId = new Map<string, Basket>();
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      problems.push({
        code: 'no-directory',
        severity: 'error',
        message: 'basket directory not found',
        at: { file: dir },
      });
      continue;
    }
    const files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    for (const f of files) {
      const file = join(dir, f);
      const r = loadBasketFile(file, o.codes);
      problems.push(...r.problems);
      if (!r.basket) continue;
      const prev = byId.get(r.basket.id);
      if (prev) {
        problems.push({
          code: 'duplicate-id',
          severity: 'error',
          message: `duplicate basket id (also in ${prev.file}): give the basket its own id`,
          at: { file, field: 'id' },
          value: r.basket.id,
        });
        continue;
      }
      byId.set(r.basket.id, r.basket);
    }
  }
  return { baskets: [...byId.values()], problems };
}

let cache: { key: string; baskets: Basket[] } | undefined;

/**
 * Every basket (bundled and the user's); throws a UserError listing the problems when a file is invalid.
 * Cached per set of directories.
 * @example baskets().map((b) => b.id) // ['bec', 'christmas-decorations', …]
 */
export function baskets(o: LoadOptions = {}): Basket[] {
  const key = JSON.stringify([o.bundledDir, userDirs(o)]);
  if (cache?.key === key && !o.codes) return cache.baskets;
  const r = loadBaskets(o);
  const errors = r.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new UserError(`invalid basket file(s):\n${errors.map((p) => `  ${formatProblem(p)}`).join('\n')}`, errors);
  if (!o.codes) cache = { key, baskets: r.baskets };
  return r.baskets;
}

/**
 * One basket by id, or undefined.
 * @example basketById('new-three')?.parts.map((p) => p.id) // ['electric-vehicles', 'lithium-ion-batteries', 'pv-cells']
 */
export function basketById(id: string, o: LoadOptions = {}): Basket | undefined {
  return baskets(o).find((b) => b.id === id);
}

// ---------------------------------------------------------------------------------------------------------
// Expansion and application to another edition
// ---------------------------------------------------------------------------------------------------------

/**
 * The subheadings of each part in the basket's own edition (includes expanded from any level, minus excludes).
 * With another `edition`, the codes {@link applyBasket} selects there.
 * @example expandBasket(basketById('new-three')!).map((p) => p.codes) // [['870380'], ['850760'], ['854142', '854143']]
 */
export function expandBasket(
  basket: Basket,
  edition: HsEdition = basket.edition,
  codes: HsCodeList = defaultCodes,
): ExpandedPart[] {
  if (edition !== basket.edition)
    return applyBasket(basket, edition, { codes }).parts.map((p) => ({ id: p.id, name: p.name, codes: p.codes }));
  const all = codes(basket.edition);
  return basket.parts.map((p) => {
    const set = new Set(p.include.flatMap((c) => under(c, all)));
    for (const c of p.exclude) for (const x of under(c, all)) set.delete(x);
    return { id: p.id, name: p.name, codes: [...set].sort() };
  });
}

/** How well a target-edition code matches a part. */
export type Fit = 'exact' | 'over-inclusive' | 'under-inclusive';

/** One target-edition code touched by a part. */
export interface TargetCode {
  code: string;
  /** In the part's codes for the target edition. */
  selected: boolean;
  fit: Fit;
  /** The part's source codes behind this code. */
  sources: string[];
  /** Source codes behind this code that are not in the part, with the part of this basket holding them, if any. */
  outside: { code: string; part?: string }[];
}

export interface AppliedPart {
  id: string;
  name: BasketName;
  /** The part's codes in the basket's edition. */
  sourceCodes: string[];
  /** The part's codes in the target edition. */
  codes: string[];
  /** Every target code the part's source codes reach, exact ones included. */
  report: TargetCode[];
  /** Source codes with no link to the target edition. */
  unmapped: string[];
  /** The report in words, one line per over- or under-inclusive code. */
  notes: string[];
}

export interface AppliedBasket {
  basket: string;
  from: HsEdition;
  to: HsEdition;
  policy: 'any' | 'all';
  parts: AppliedPart[];
  /** True when every selected code is exact and nothing is unmapped. */
  exact: boolean;
  notes: string[];
}

export interface ApplyOptions {
  /**
   * Which target codes a part takes: `any` (default) every code one of its source codes reaches — complete but
   * over-inclusive where a target code also holds other goods; `all` only codes all of whose source codes are in
   * the part — never over-inclusive, under-inclusive instead.
   */
  policy?: 'any' | 'all';
  correlate?: Correlate;
  codes?: HsCodeList;
}

const short = (s: string | null | undefined, n = 90) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : (s ?? ''));
const describe = (code: string, edition: HsEdition) => {
  const d = hsLookup(code, edition)?.description;
  return d ? `${code} ${short(d)}` : code;
};

/**
 * Carries a basket to the edition of the data: per part the target-edition codes and a report saying, for each
 * target code, whether it is exact, over-inclusive (it also holds source codes outside the part — HS2017 854140
 * holds LEDs 854141 and other devices 854149 besides PV cells) or under-inclusive (part of a member went to a
 * target code that was not selected), with the source codes behind it.
 * @example applyBasket(basketById('new-three')!, 'HS2017').parts.find((p) => p.id === 'pv-cells')?.report[0]
 * // { code: '854140', selected: true, fit: 'over-inclusive', sources: ['854142', '854143'],
 * //   outside: [{ code: '854141' }, { code: '854149' }] }
 */
export function applyBasket(
  basket: Basket,
  target: HsEdition,
  correlateOrOptions: Correlate | ApplyOptions = {},
): AppliedBasket {
  const o: ApplyOptions =
    typeof correlateOrOptions === 'function' ? { correlate: correlateOrOptions } : correlateOrOptions;
  const policy = o.policy ?? 'any';
  const correlate = o.correlate ?? mapCodes;
  const from = basket.edition;
  const expanded = expandBasket(basket, from, o.codes ?? defaultCodes);
  const partsOf = new Map<string, string[]>();
  for (const p of expanded) for (const c of p.codes) partsOf.set(c, [...(partsOf.get(c) ?? []), p.id]);

  const forward = correlate(
    expanded.flatMap((p) => p.codes),
    from,
    target,
  );
  const reached = new Set<string>();
  for (const links of forward.values()) for (const l of links) reached.add(l.code);
  const backward = correlate([...reached], target, from);
  const sourcesOf = (t: string) => [...new Set((backward.get(t) ?? []).map((l) => l.code))].sort();

  const parts: AppliedPart[] = expanded.map((p) => {
    const inPart = new Set(p.codes);
    const unmapped: string[] = [];
    const targets = new Set<string>();
    for (const c of p.codes) {
      const links = forward.get(c) ?? [];
      if (!links.length) unmapped.push(c);
      for (const l of links) targets.add(l.code);
    }
    const report: TargetCode[] = [...targets].sort().map((t) => {
      const behind = sourcesOf(t);
      const sources = behind.filter((s) => inPart.has(s));
      const outside = behind
        .filter((s) => !inPart.has(s))
        .map((s) => {
          const other = partsOf.get(s)?.find((x) => x !== p.id);
          return other ? { code: s, part: other } : { code: s };
        });
      const selected = policy === 'any' || outside.length === 0;
      const fit: Fit = !selected ? 'under-inclusive' : outside.length ? 'over-inclusive' : 'exact';
      return { code: t, selected, fit, sources, outside };
    });
    const notes: string[] = [];
    for (const r of report) {
      const shown = r.outside.slice(0, 4).map((x) => `${describe(x.code, from)}${x.part ? ` [part ${x.part}]` : ''}`);
      if (r.outside.length > 4)
        shown.push(
          `and ${r.outside.length - 4} more (${r.outside
            .slice(4)
            .map((x) => x.code)
            .join(', ')})`,
        );
      const outsideText = shown.join('; ');
      if (r.fit === 'over-inclusive')
        notes.push(
          `${p.id}: ${target} ${r.code} is over-inclusive: besides ${from} ${r.sources.join(', ')} it also holds ${outsideText}`,
        );
      else if (r.fit === 'under-inclusive')
        notes.push(
          `${p.id}: ${target} ${r.code} is left out (under-inclusive): it holds ${from} ${r.sources.join(', ')} of the part but also ${outsideText}`,
        );
    }
    if (unmapped.length)
      notes.push(`${p.id}: ${from} ${unmapped.join(', ')} have no ${target} code in the correlation (left out)`);
    return {
      id: p.id,
      name: p.name,
      sourceCodes: p.codes,
      codes: report.filter((r) => r.selected).map((r) => r.code),
      report,
      unmapped,
      notes,
    };
  });
  const exact = parts.every((p) => p.unmapped.length === 0 && p.report.every((r) => r.fit === 'exact'));
  const notes = parts.flatMap((p) => p.notes);
  if (from !== target)
    notes.unshift(
      exact
        ? `${basket.id} (${from}) maps exactly to ${target}`
        : `${basket.id} is defined in ${from}; in ${target} data ${policy === 'any' ? 'some codes also hold goods outside the basket (over-inclusive)' : 'codes shared with goods outside the basket are left out (under-inclusive)'}`,
    );
  return { basket: basket.id, from, to: target, policy, parts, exact, notes };
}

// ---------------------------------------------------------------------------------------------------------
// Products for queries: a code or a basket (or one of its parts)
// ---------------------------------------------------------------------------------------------------------

/** What `--product` selects, in the edition of the data. */
export interface ProductSelection {
  kind: 'code' | 'basket';
  /** As resolved: `8541.43` → `854143`; `new-three`; `new-three/pv-cells`. */
  id: string;
  label: BasketName;
  edition: HsEdition;
  /** The selected groups: one per basket part, or one for a code. */
  parts: ExpandedPart[];
  /** Every selected subheading (union of the parts), sorted. */
  codes: string[];
  /** The correlation report when the basket is defined in another edition. */
  applied?: AppliedBasket;
  notes: string[];
}

/**
 * Resolves `--product`: an HS code of any level in the data's edition (`8541.43`, `8541`, `85`), a basket id
 * (`new-three`) or one part of a basket (`new-three/pv-cells`), to the subheadings of `edition`.
 * Throws a UserError naming the known baskets when the text is neither.
 * @example resolveProduct('new-three/pv-cells', 'HS2017').codes // ['854140'] (notes: over-inclusive, LEDs)
 */
export function resolveProduct(text: string, edition: HsEdition, o: LoadOptions & ApplyOptions = {}): ProductSelection {
  const t = text.trim();
  const c = normalizeHsCode(t);
  if (looksLikeCode(t) && !(c && /^\d+$/.test(c)))
    throw new UserError(`not an HS code: ${t} (2, 4 or 6 digits, dots allowed: 85, 8541, 8541.43)`);
  if (c && /^\d+$/.test(c)) {
    const codes = under(c, (o.codes ?? defaultCodes)(edition));
    if (!codes.length) throw new UserError(`unknown HS code in ${edition}: ${t}`);
    const d = hsLookup(c, edition)?.description ?? c;
    const label = { en: d, zh: d };
    return { kind: 'code', id: c, label, edition, parts: [{ id: c, name: label, codes }], codes, notes: [] };
  }
  const [id, partId] = t.split('/', 2) as [string, string | undefined];
  const all = baskets(o);
  const basket = all.find((b) => b.id === id);
  if (!basket)
    throw new UserError(
      `unknown product: ${t} (an HS code such as 8541.43, or a basket: ${all.map((b) => b.id).join(', ')})`,
    );
  if (partId !== undefined && !basket.parts.some((p) => p.id === partId))
    throw new UserError(
      `unknown part of basket ${basket.id}: ${partId} (parts: ${basket.parts.map((p) => p.id).join(', ')})`,
    );
  const applied = basket.edition === edition ? undefined : applyBasket(basket, edition, o);
  const expanded = applied
    ? applied.parts.map((p) => ({ id: p.id, name: p.name, codes: p.codes }))
    : expandBasket(basket, edition, o.codes);
  const parts = partId === undefined ? expanded : expanded.filter((p) => p.id === partId);
  const part = partId === undefined ? undefined : basket.parts.find((p) => p.id === partId);
  const notes = applied
    ? partId === undefined
      ? applied.notes
      : (applied.parts.find((p) => p.id === partId)?.notes ?? [])
    : [];
  return {
    kind: 'basket',
    id: partId === undefined ? basket.id : `${basket.id}/${partId}`,
    label: part?.name ?? basket.name,
    edition,
    parts,
    codes: [...new Set(parts.flatMap((p) => p.codes))].sort(),
    ...(applied ? { applied } : {}),
    notes,
  };
}
