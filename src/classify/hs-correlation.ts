/**
 * Correlation between HS editions, from the UNSD correlation tables (as merged by UN Comtrade), walking as
 * many editions as needed (HS1992 → HS1996 → … → HS2022, or back).
 *
 * Stable API (also used by baskets):
 * - `editionPath(from, to)`: the editions walked, both ends included (`['HS2017', 'HS2022']`).
 * - `mapCode(code, from, to)`: the codes of `to` linked to a 6-digit code of `from`, each with the
 *   relationship read in that direction and `via`, the intermediate codes of one path (empty for adjacent
 *   editions). A 2- or 4-digit code maps as the group of its subheadings. `[]` when `from` does not know
 *   the code.
 * - `mapCodes(codes, from, to)`: the same for many codes: a Map from each code to its links.
 * - `tableVersion(from, to)`: the name and version of the tables used, to flag converted values with.
 *
 * Relationships are computed from the link structure, for the direction read: for a link s → t,
 * the left side is `n` when t has other sources in `from`, the right side `n` when s has other targets in
 * `to`. So 854142 → 854140 (HS2022 → HS2017) is `n:1` and 854140 → 854142 is `1:n`. Over several editions
 * the links are composed first (s → t when some path joins them), then labelled the same way.
 *
 * @example
 * mapCode('854142', 'HS2022', 'HS2017') // [{ code: '854140', relationship: 'n:1', via: [] }]
 * mapCode('854140', 'HS2017', 'HS2022').find((l) => l.code === '854142')?.relationship // '1:n'
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dataPath } from '../util/paths.js';
import { HS_EDITIONS, type HsEdition, normalizeHsCode } from './hs-nomenclature.js';

export type Relationship = '1:1' | 'n:1' | '1:n' | 'n:n';

/** A link from a code of one edition to a code of another. */
export interface HsLink {
  /** Target code (6 digits). */
  code: string;
  /** Relationship read from source to target. */
  relationship: Relationship;
  /** Intermediate codes of one path, one per intermediate edition (empty between adjacent editions). */
  via: string[];
}

const SOURCE = 'Comtrade consolidated, harvard-growth-lab @503c5d89';

/**
 * Name and version of the correlation tables between two editions.
 * @example tableVersion('HS2022', 'HS2017') // 'UNSD HS2022-HS2017 correlation (Comtrade consolidated, harvard-growth-lab @503c5d89)'
 */
export function tableVersion(from: HsEdition, to: HsEdition): string {
  const path = editionPath(from, to);
  if (path.length === 1) return `no conversion (${from})`;
  const pairs: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const [a, b] = [path[i]!, path[i + 1]!];
    pairs.push(rank(a) > rank(b) ? `${a}-${b}` : `${b}-${a}`);
  }
  return `UNSD ${pairs.join(', ')} correlation (${SOURCE})`;
}

const rank = (e: HsEdition): number => HS_EDITIONS.indexOf(e);

/**
 * The editions walked from `from` to `to`, both included.
 * @example editionPath('HS2012', 'HS2022') // ['HS2012', 'HS2017', 'HS2022']
 */
export function editionPath(from: HsEdition, to: HsEdition): HsEdition[] {
  const a = rank(from);
  const b = rank(to);
  const step = a <= b ? 1 : -1;
  const path: HsEdition[] = [];
  for (let i = a; i !== b + step; i += step) path.push(HS_EDITIONS[i]!);
  return path;
}

/** Links between two adjacent editions, both ways. */
interface Step {
  /** newer code → older codes */
  down: Map<string, string[]>;
  /** older code → newer codes */
  up: Map<string, string[]>;
}

let steps: Map<HsEdition, Step> | undefined; // keyed by the newer edition of the pair

function loadSteps(): Map<HsEdition, Step> {
  if (steps) return steps;
  const m = new Map<HsEdition, Step>();
  const rows: Record<string, string>[] = parse(readFileSync(dataPath('hs', 'hs-correlation.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  for (const r of rows) {
    const newer = r.newer as HsEdition;
    const s: Step = m.get(newer) ?? { down: new Map(), up: new Map() };
    m.set(newer, s);
    const olders = r.older_codes!.split(' ');
    s.down.set(r.code!, olders);
    for (const o of olders) {
      const list = s.up.get(o);
      if (list) list.push(r.code!);
      else s.up.set(o, [r.code!]);
    }
  }
  steps = m;
  return m;
}

/** Codes of `b` linked to `code` of `a` (adjacent editions). */
function neighbours(code: string, a: HsEdition, b: HsEdition): readonly string[] {
  const s = loadSteps();
  return rank(a) > rank(b) ? (s.get(a)?.down.get(code) ?? []) : (s.get(b)?.up.get(code) ?? []);
}

/** Composed links: each reachable target code with the intermediate codes of its first path. */
function reach(codes: readonly string[], from: HsEdition, to: HsEdition): Map<string, string[]> {
  const path = editionPath(from, to);
  let layer = new Map<string, string[]>(codes.map((c) => [c, []]));
  for (let i = 0; i + 1 < path.length; i++) {
    const next = new Map<string, string[]>();
    for (const [c, via] of [...layer].sort(([x], [y]) => (x < y ? -1 : 1))) {
      for (const t of neighbours(c, path[i]!, path[i + 1]!)) {
        if (!next.has(t)) next.set(t, i === 0 ? [] : [...via, c]);
      }
    }
    layer = next;
  }
  return layer;
}

const reachCache = new Map<string, ReadonlySet<string>>();

/** Targets of one code, composed over the path (cached). */
function targetSet(code: string, from: HsEdition, to: HsEdition): ReadonlySet<string> {
  const key = `${from}>${to}:${code}`;
  let s = reachCache.get(key);
  if (!s) {
    s = new Set(reach([code], from, to).keys());
    reachCache.set(key, s);
  }
  return s;
}

/** Subheadings of `edition` that have links toward the neighbouring edition in the direction of `to`. */
function knownCodes(edition: HsEdition, to: HsEdition): Iterable<string> {
  const s = loadSteps();
  if (rank(edition) > rank(to)) return s.get(edition)?.down.keys() ?? [];
  return s.get(HS_EDITIONS[rank(edition) + 1]!)?.up.keys() ?? [];
}

/** The 6-digit codes a code stands for: itself, or the subheadings of a heading or chapter. */
function expand(code: string, from: HsEdition, to: HsEdition): string[] {
  if (code.length === 6) return [code];
  return [...knownCodes(from, to)].filter((c) => c.startsWith(code)).sort();
}

/**
 * Codes of `to` linked to a code of `from`, with the relationship read from `from` to `to`.
 * A 2- or 4-digit code maps as the group of its subheadings (its relationship treats the group as one code).
 * Returns `[]` for a code `from` does not know (or when `from` = `to`: `[{ code, relationship: '1:1' }]`).
 */
export function mapCode(code: string, from: HsEdition, to: HsEdition): HsLink[] {
  const c = normalizeHsCode(code);
  if (!c || !/^\d+$/.test(c)) return [];
  if (from === to) return [{ code: c, relationship: '1:1', via: [] }];
  const group = expand(c, from, to);
  if (group.length === 0) return [];
  const inGroup = new Set(group);
  const targets = reach(group, from, to);
  const right = targets.size > 1 ? 'n' : '1';
  return [...targets]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, via]) => {
      let left: 'n' | '1' = '1';
      for (const s of targetSet(t, to, from)) {
        if (!inGroup.has(s)) {
          left = 'n';
          break;
        }
      }
      return { code: t, relationship: `${left}:${right}` as Relationship, via };
    });
}

/**
 * {@link mapCode} for many codes.
 * @example mapCodes(['854142', '850760'], 'HS2022', 'HS2017').get('850760') // [{ code: '850760', relationship: '1:1', via: [] }]
 */
export function mapCodes(codes: readonly string[], from: HsEdition, to: HsEdition): Map<string, HsLink[]> {
  return new Map(codes.map((c) => [c, mapCode(c, from, to)]));
}
