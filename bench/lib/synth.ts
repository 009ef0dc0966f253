/**
 * Synthetic trade cube for benchmarks: a gravity-like, sparse and skewed exporter × importer × HS6 cube
 * with real BACI country codes and real HS 1992 subheadings, written straight to disk in BACI's own CSV
 * layout (annual) or as a monthly customs-style CSV.
 *
 * Model (all draws from a seeded sfc32, so a given seed and row count always give the same bytes):
 * - country size: Zipf by rank (a fixed list of the largest traders first, the rest in a seeded order) times
 *   lognormal noise; the `countries` largest are kept;
 * - products per exporter→importer pair: K · size_i^1.0 · size_j^0.8 · lognormal(0, 1), capped at 97 % of the
 *   product list, stochastically rounded; K is solved so the cube has at least the requested rows, and the
 *   writer stops exactly at the requested row count;
 * - which products: systematic πps sampling over the exporter's product weights (global product popularity ×
 *   exporter × chapter specialisation, more concentrated for small exporters), so rows come out sorted by k;
 * - value (thousand USD): lognormal in the pair's sizes and the product's weight, σ ≈ 2, plus a heavy tail;
 * - quantity (tonnes): value / (per-product unit value × lognormal noise), unit values by chapter (fuels and
 *   ores cheap, machinery and instruments dear, precious stones very dear); per-product chance of `NA`.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashSeed, Rng } from './rng.js';

/** Bumped whenever the bytes produced for given options change (the harness reuses files by this). */
export const GENERATOR_VERSION = 1;

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bench', 'fixtures'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('cannot find the repository root (package.json beside bench/fixtures/)');
}

export interface Country {
  code: number;
  iso3: string;
  name: string;
  size: number;
  logSize: number;
  rank: number;
}

export interface Product {
  /** Six-digit code, leading zeros kept: `010121`. */
  hs6: string;
  /** BACI's spelling of the code: leading zeros lost, `10121`. */
  k: string;
  chapter: number;
  popularity: number;
  /** Unit value in USD per kg (= thousand USD per tonne). */
  unitValue: number;
  naProb: number;
}

/** Codes in the V202201 dictionary that no longer report (historical entities) or are not countries. */
const EXCLUDED = new Set([58, 200, 278, 280, 530, 736, 810, 891, 697, 849]);

/** The largest traders, roughly by total merchandise trade (BACI codes: 842 USA, 251 FRA, 699 IND …). */
const TOP_TRADERS = [
  156, 842, 276, 392, 528, 251, 410, 381, 344, 826, 699, 124, 484, 56, 643, 702, 490, 724, 757, 704, 458, 36, 616, 764,
  76, 784, 682, 360, 203, 40, 752, 372, 792, 348, 579, 208, 710, 608, 152, 246, 620, 642, 376, 818,
];

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function loadCountries(root: string, seed: number, count: number): Country[] {
  const text = readFileSync(join(root, 'bench', 'fixtures', 'baci-country-codes-V202201.csv'), 'utf8');
  const all: { code: number; iso3: string; name: string }[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line.trim()) continue;
    const f = splitCsvLine(line);
    const code = Number(f[0]);
    if (!Number.isInteger(code) || EXCLUDED.has(code)) continue;
    all.push({ code, iso3: f[4] ?? '', name: f[1] ?? '' });
  }
  const rng = new Rng(hashSeed(seed, 0xc0c0));
  const byCode = new Map(all.map((c) => [c.code, c]));
  const ordered = TOP_TRADERS.filter((c) => byCode.has(c)).map((c) => byCode.get(c)!);
  const rest = all.filter((c) => !TOP_TRADERS.includes(c.code));
  for (let i = rest.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  ordered.push(...rest);
  const chosen = ordered.slice(0, Math.min(count, ordered.length)).map((c, idx) => {
    const size = (idx + 1) ** -1.1 * rng.lognormal(0, 0.3);
    return { ...c, size, logSize: 0, rank: idx + 1 };
  });
  const max = Math.max(...chosen.map((c) => c.size));
  for (const c of chosen) {
    c.size /= max;
    c.logSize = Math.log(c.size);
  }
  return chosen.sort((a, b) => a.code - b.code);
}

/** log unit value (USD/kg) by HS chapter. */
function chapterLogUnitValue(ch: number): number {
  if (ch <= 24) return Math.log(2.5);
  if (ch === 25 || ch === 26) return Math.log(0.12);
  if (ch === 27) return Math.log(0.5);
  if (ch <= 38) return Math.log(3);
  if (ch <= 40) return Math.log(2.5);
  if (ch <= 43) return Math.log(12);
  if (ch <= 49) return Math.log(1);
  if (ch <= 63) return Math.log(10);
  if (ch <= 67) return Math.log(15);
  if (ch <= 70) return Math.log(1.5);
  if (ch === 71) return Math.log(3000);
  if (ch <= 83) return Math.log(2.2);
  if (ch <= 85) return Math.log(30);
  if (ch <= 89) return Math.log(10);
  if (ch <= 92) return Math.log(80);
  if (ch === 93) return Math.log(40);
  if (ch <= 96) return Math.log(6);
  return Math.log(500);
}

export function loadProducts(root: string, seed: number): Product[] {
  const text = readFileSync(join(root, 'bench', 'fixtures', 'hs92-subheadings.txt'), 'utf8');
  const codes = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => /^\d{6}$/.test(s))
    .sort();
  const rng = new Rng(hashSeed(seed, 0x9d0d));
  const chapterPop = new Float64Array(100);
  for (let ch = 0; ch < 100; ch++) chapterPop[ch] = rng.lognormal(0, 0.7);
  return codes.map((hs6) => {
    const chapter = Number(hs6.slice(0, 2));
    return {
      hs6,
      k: String(Number(hs6)),
      chapter,
      popularity: chapterPop[chapter]! * rng.lognormal(0, 1.3),
      unitValue: Math.exp(chapterLogUnitValue(chapter) + 0.9 + 1.1 * rng.normal()),
      naProb: Math.min(0.5, 0.007 * rng.lognormal(0, 1.2)),
    };
  });
}

/** An exporter's product weights, in product order and sorted descending with suffix sums. */
interface ExporterProfile {
  weights: Float64Array;
  sorted: Float64Array;
  suffix: Float64Array;
  /** log of weight / mean weight, in product order. */
  logRel: Float64Array;
}

function exporterProfile(c: Country, products: Product[], seed: number, nCountries: number): ExporterProfile {
  const rng = new Rng(hashSeed(seed, 0xe4e4, c.code));
  const rel = nCountries > 1 ? (c.rank - 1) / (nCountries - 1) : 0;
  const sigma = 0.8 + 1.4 * rel;
  const chapterEffect = new Float64Array(100);
  for (let ch = 0; ch < 100; ch++) chapterEffect[ch] = (0.6 + 0.8 * rel) * rng.normal();
  const P = products.length;
  const weights = new Float64Array(P);
  let sum = 0;
  for (let k = 0; k < P; k++) {
    const p = products[k]!;
    const w = p.popularity * Math.exp(chapterEffect[p.chapter]! + sigma * rng.normal());
    weights[k] = w;
    sum += w;
  }
  const mean = sum / P;
  const logRel = new Float64Array(P);
  for (let k = 0; k < P; k++) logRel[k] = Math.log(weights[k]! / mean);
  const sorted = Float64Array.from(weights).sort().reverse();
  const suffix = new Float64Array(P + 1);
  for (let k = P - 1; k >= 0; k--) suffix[k] = suffix[k + 1]! + sorted[k]!;
  return { weights, sorted, suffix, logRel };
}

/** λ such that Σ min(1, λ·w) = n (water-filling over the sorted weights). */
function solveLambda(p: ExporterProfile, n: number): number {
  const P = p.sorted.length;
  if (n >= P) return Number.POSITIVE_INFINITY;
  for (let m = 0; m < n; m++) {
    const lambda = (n - m) / p.suffix[m]!;
    if (lambda * p.sorted[m]! <= 1) return lambda;
  }
  return 1 / p.suffix[n - 1]!; // unreachable: m = n - 1 always satisfies the test
}

export interface CubeOptions {
  rows: number;
  year: number;
  seed: number;
  countries: number;
  /** Restrict exporters (reporters) to these BACI codes; all when empty. */
  reporters: number[];
}

export interface Pair {
  i: Country;
  j: Country;
  n: number;
}

interface PairBase {
  i: Country;
  j: Country;
  x: number;
  u: number;
}

/** Smaller → denser: about a fifth of the exporter→importer pairs never trade. */
const PAIR_ACTIVITY_SCALE = 0.012;

/** No single flow above ~150 bn USD (v is in thousand USD). */
const MAX_LOG_VALUE = Math.log(1.5e8);

export class Cube {
  readonly countries: Country[];
  readonly products: Product[];
  readonly profiles = new Map<number, ExporterProfile>();
  private readonly bases: PairBase[] = [];
  private readonly cap: number;

  constructor(
    readonly opts: CubeOptions,
    root = repoRoot(),
  ) {
    this.countries = loadCountries(root, opts.seed, opts.countries);
    this.products = loadProducts(root, opts.seed);
    this.cap = Math.floor(this.products.length * 0.97);
    const reporterSet = new Set(opts.reporters);
    const rng = new Rng(hashSeed(opts.seed, 0x9a12));
    for (const i of this.countries) {
      for (const j of this.countries) {
        const u = rng.next() * 0.999999;
        const noise = rng.lognormal(0, 1);
        // structural zeros: small economies trade with few partners, whatever the row count
        const active = rng.next() < 1 - Math.exp(-(i.size ** 0.5 * j.size ** 0.4) / PAIR_ACTIVITY_SCALE);
        if (i.code === j.code || !active) continue;
        if (reporterSet.size > 0 && !reporterSet.has(i.code)) continue;
        this.bases.push({ i, j, x: i.size ** 1.0 * j.size ** 0.8 * noise, u });
      }
    }
  }

  private countFor(k: number, target = Number.POSITIVE_INFINITY): number {
    let total = 0;
    for (const b of this.bases) {
      total += Math.min(this.cap, Math.floor(k * b.x + b.u));
      if (total >= target) return total;
    }
    return total;
  }

  /** Pairs (sorted by exporter code, then importer code) with product counts summing to ≥ rows. */
  pairs(rows: number): Pair[] {
    const maxRows = this.bases.length * this.cap;
    if (rows > maxRows) throw new Error(`at most ${maxRows} rows fit this universe; asked for ${rows}`);
    let lo = 0;
    let hi = 1;
    while (this.countFor(hi, rows) < rows) hi *= 2;
    for (let it = 0; it < 200 && hi - lo > hi * 1e-15; it++) {
      const mid = (lo + hi) / 2;
      if (this.countFor(mid, rows) >= rows) hi = mid;
      else lo = mid;
    }
    const out: Pair[] = [];
    for (const b of this.bases) {
      const n = Math.min(this.cap, Math.floor(hi * b.x + b.u));
      if (n > 0) out.push({ i: b.i, j: b.j, n });
    }
    return out;
  }

  profile(c: Country): ExporterProfile {
    let p = this.profiles.get(c.code);
    if (!p) {
      p = exporterProfile(c, this.products, this.opts.seed, this.countries.length);
      this.profiles.set(c.code, p);
    }
    return p;
  }

  /**
   * Calls `flow` for each of the pair's products, in product order, with the value in thousand USD and the
   * quantity in tonnes (NaN for NA). Deterministic per (seed, i, j).
   */
  eachFlow(pair: Pair, flow: (k: number, v: number, q: number, rng: Rng) => boolean | undefined): number {
    const prof = this.profile(pair.i);
    const lambda = solveLambda(prof, pair.n);
    const rng = new Rng(hashSeed(this.opts.seed, pair.i.code, pair.j.code));
    const w = prof.weights;
    const logRel = prof.logRel;
    const products = this.products;
    const P = products.length;
    const pairMu = 4.4 + 0.5 * pair.i.logSize + 0.4 * pair.j.logSize;
    let threshold = rng.next() * 0.999999;
    let cum = 0;
    let emitted = 0;
    for (let k = 0; k < P && emitted < pair.n; k++) {
      const pi = lambda * w[k]!;
      cum += Math.min(pi, 1);
      if (cum <= threshold) continue;
      threshold += 1;
      emitted++;
      const p = products[k]!;
      let lv = pairMu + 0.5 * logRel[k]! + 2.5 * rng.normal();
      if (rng.next() < 0.05) lv += Math.abs(rng.normal()) * 3;
      const v = Math.exp(lv < MAX_LOG_VALUE ? lv : MAX_LOG_VALUE - 0.5 * rng.next());
      const q = rng.next() < p.naProb ? Number.NaN : v / (p.unitValue * Math.exp(0.45 * rng.normal()));
      if (flow(k, v, q, rng) === false) return emitted;
    }
    return emitted;
  }
}

// ---------------------------------------------------------------- formatting

/** `.5`, `.41`, `.041` …: BACI prints v with up to three decimals and no trailing zeros. */
const V_FRAC: string[] = Array.from({ length: 1000 }, (_, f) =>
  f === 0 ? '' : `.${String(f).padStart(3, '0').replace(/0+$/, '')}`,
);
const Q_FRAC: string[] = Array.from({ length: 1000 }, (_, f) => `.${String(f).padStart(3, '0')}`);
const PAD: string[] = Array.from({ length: 14 }, (_, n) => ' '.repeat(n));
const Q_NA = '"           NA"';

export function formatBaciValue(v: number): string {
  let m = Math.round(v * 1000);
  if (m < 1) m = 1;
  const ip = Math.floor(m / 1000);
  return ip + V_FRAC[m - ip * 1000]!;
}

export function formatBaciQuantity(q: number): string {
  if (Number.isNaN(q)) return Q_NA;
  let m = Math.round(q * 1000);
  if (m < 1) m = 1;
  const ip = Math.floor(m / 1000);
  const s = ip + Q_FRAC[m - ip * 1000]!;
  return s.length >= 13 ? `"${s}"` : `"${PAD[13 - s.length]}${s}"`;
}

// ---------------------------------------------------------------- writers

const CHUNK_CHARS = 1 << 20;

class ChunkedFile {
  private readonly ws;
  bytes = 0;
  constructor(path: string) {
    this.ws = createWriteStream(path, { highWaterMark: 4 << 20 });
  }
  async write(s: string): Promise<void> {
    this.bytes += s.length; // ASCII only
    if (!this.ws.write(s)) await once(this.ws, 'drain');
  }
  async close(): Promise<void> {
    this.ws.end();
    await once(this.ws, 'finish');
  }
}

export interface GenerateResult {
  rows: number;
  bytes: number;
  pairs: number;
}

export async function writeBaci(cube: Cube, out: string, rows: number): Promise<GenerateResult> {
  const file = new ChunkedFile(out);
  const pairs = cube.pairs(rows);
  const products = cube.products;
  let chunk = '"t","i","j","k","v","q"\n';
  let written = 0;
  let usedPairs = 0;
  for (const pair of pairs) {
    if (written >= rows) break;
    usedPairs++;
    const prefix = `${cube.opts.year},${pair.i.code},${pair.j.code},`;
    cube.eachFlow(pair, (k, v, q) => {
      chunk += `${prefix}${products[k]!.k},${formatBaciValue(v)},${formatBaciQuantity(q)}\n`;
      written++;
      return written < rows;
    });
    if (chunk.length > CHUNK_CHARS) {
      await file.write(chunk);
      chunk = '';
    }
  }
  await file.write(chunk);
  await file.close();
  if (written < rows) throw new Error(`internal: wrote ${written} rows, wanted ${rows}`);
  return { rows: written, bytes: file.bytes, pairs: usedPairs };
}

export interface MonthlyOptions {
  months: number;
  /** First period, `YYYY-MM`. */
  start: string;
  /** `iso3` (default) or `baci` numeric codes in the reporter/partner columns. */
  codes: 'iso3' | 'baci';
}

function periodsFrom(start: string, months: number): { label: string; yearIndex: number; month: number }[] {
  const m = /^(\d{4})-(\d{2})$/.exec(start);
  if (!m) throw new Error(`--start must be YYYY-MM, got ${start}`);
  const y0 = Number(m[1]);
  const m0 = Number(m[2]) - 1;
  return Array.from({ length: months }, (_, t) => {
    const y = y0 + Math.floor((m0 + t) / 12);
    const mo = (m0 + t) % 12;
    return { label: `${y}-${String(mo + 1).padStart(2, '0')}`, yearIndex: Math.floor(t / 12), month: mo };
  });
}

/**
 * Monthly rows of each annual flow: each year the flow grows by the pair's growth rate, each month is active
 * with a probability rising with the flow's size, and the year's value is spread over the active months by a
 * chapter seasonal profile with noise. Values in USD, weights in kg (empty when the annual quantity is NA).
 */
function monthlyFlows(
  cube: Cube,
  pair: Pair,
  periods: ReturnType<typeof periodsFrom>,
  emit: ((t: number, k: number, usd: number, kg: number) => boolean) | undefined,
  budget: number,
): number {
  const growthRng = new Rng(hashSeed(cube.opts.seed, 0x6047, pair.i.code, pair.j.code));
  const growth = Math.exp(0.03 + 0.12 * growthRng.normal());
  const nYears = periods.length === 0 ? 0 : periods[periods.length - 1]!.yearIndex + 1;
  const share = new Float64Array(periods.length);
  let count = 0;
  cube.eachFlow(pair, (k, v, q, rng) => {
    const ch = cube.products[k]!.chapter;
    const phase = (ch * 7) % 12;
    let total = 0;
    const yearValue = new Float64Array(nYears);
    for (let y = 0; y < nYears; y++) yearValue[y] = v * growth ** y * Math.exp(0.15 * rng.normal());
    for (let t = 0; t < periods.length; t++) {
      const per = periods[t]!;
      const monthly = yearValue[per.yearIndex]! / 12;
      const active = rng.next() < 1 - Math.exp(-monthly / 2);
      const season = 1 + 0.15 * Math.sin((2 * Math.PI * (per.month + phase)) / 12);
      share[t] = active ? season * Math.exp(0.5 * rng.normal()) : 0;
      total += share[t]!;
    }
    if (total === 0) return true;
    // normalise within each year
    const yearShare = new Float64Array(nYears);
    for (let t = 0; t < periods.length; t++) yearShare[periods[t]!.yearIndex]! += share[t]!;
    for (let t = 0; t < periods.length; t++) {
      if (share[t] === 0) continue;
      const y = periods[t]!.yearIndex;
      const f = share[t]! / yearShare[y]!;
      const ratio = yearValue[y]! / v;
      count++;
      if (emit) {
        const usd = Math.max(1, Math.round(yearValue[y]! * 1000 * f));
        const kg = Number.isNaN(q)
          ? Number.NaN
          : Math.max(1, Math.round(q * 1000 * ratio * f * Math.exp(0.1 * rng.normal())));
        if (!emit(t, k, usd, kg)) return false;
      }
      if (count >= budget) return false;
    }
    return true;
  });
  return count;
}

export async function writeMonthly(
  cube: Cube,
  out: string,
  rows: number,
  mopts: MonthlyOptions,
): Promise<GenerateResult & { annualFlows: number }> {
  const periods = periodsFrom(mopts.start, mopts.months);
  const codeOf = (c: Country) => (mopts.codes === 'baci' ? String(c.code) : c.iso3);
  if (mopts.codes === 'iso3') {
    const bad = cube.countries.filter((c) => !/^[A-Z]{3}$/.test(c.iso3));
    if (bad.length > 0) {
      // "Other Asia, nes" is Taiwan in BACI; any other country without an alpha-3 keeps its BACI number
      for (const c of bad) c.iso3 = c.code === 490 ? 'TWN' : String(c.code);
    }
  }
  const countRows = (flows: number): number => {
    let n = 0;
    for (const pair of cube.pairs(flows)) {
      n += monthlyFlows(cube, pair, periods, undefined, Number.POSITIVE_INFINITY);
      if (n >= rows) return n;
    }
    return n;
  };
  // find an annual-flow count whose monthly expansion has at least `rows` rows
  let flows = Math.max(1, Math.ceil(rows / Math.max(1, periods.length * 0.5)));
  for (let it = 0; it < 40; it++) {
    const n = countRows(flows);
    if (n >= rows) break;
    flows = Math.ceil(flows * Math.min(4, Math.max(1.02, (rows / Math.max(1, n)) * 1.01)));
  }
  const file = new ChunkedFile(out);
  let chunk = 'period,reporter,partner,hs6,value_usd,net_weight_kg\n';
  let written = 0;
  let usedPairs = 0;
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = cube.pairs(flows).sort((a, b) => cmp(codeOf(a.i), codeOf(b.i)) || cmp(codeOf(a.j), codeOf(b.j)));
  for (const pair of sorted) {
    if (written >= rows) break;
    usedPairs++;
    const mid = `,${codeOf(pair.i)},${codeOf(pair.j)},`;
    monthlyFlows(
      cube,
      pair,
      periods,
      (t, k, usd, kg) => {
        chunk += `${periods[t]!.label}${mid}${cube.products[k]!.hs6},${usd},${Number.isNaN(kg) ? '' : kg}\n`;
        written++;
        return written < rows;
      },
      rows - written,
    );
    if (chunk.length > CHUNK_CHARS) {
      await file.write(chunk);
      chunk = '';
    }
  }
  await file.write(chunk);
  await file.close();
  if (written < rows) throw new Error(`internal: wrote ${written} monthly rows, wanted ${rows}`);
  return { rows: written, bytes: file.bytes, pairs: usedPairs, annualFlows: flows };
}
