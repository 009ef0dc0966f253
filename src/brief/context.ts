/**
 * The state detectors share while a brief is built: the store, the request, and the queries run so far
 * (memoised by spec, each registered once as a {@link Source} that footnotes cite).
 */
import { type Projection, type ProjectionSpec, projectFullYear } from '../forecast/projection.js';
import { type QueryResult, query } from '../query/engine.js';
import type { QuerySpecInput } from '../query/spec.js';
import type { DatasetSummary, TradeStore } from '../store/store.js';
import { UserError } from '../util/errors.js';
import { cellText } from './numbers.js';
import type { BriefRequest, CellRef, Source } from './types.js';

/** A query's result with the index of its source in the brief. */
export interface Answer {
  result: QueryResult;
  source: number;
}

export class BriefContext {
  readonly sources: Source[] = [];
  /** The result (its rows) of each source, by the same index. */
  readonly results: Pick<QueryResult, 'rows'>[] = [];
  private readonly projections = new Map<string, Promise<Answer | UserError>>();
  private readonly answers = new Map<string, Promise<Answer | UserError>>();
  private summaries?: Promise<DatasetSummary[]>;

  constructor(
    readonly store: TradeStore,
    readonly request: BriefRequest,
  ) {}

  /**
   * Runs a query once per distinct spec. A spec the data cannot answer (no dataset covers it, a window
   * without data) resolves to the {@link UserError} saying why, for the detector to turn into a "missing" note.
   */
  async ask(spec: QuerySpecInput): Promise<Answer | UserError> {
    const key = canonicalJson(spec);
    let p = this.answers.get(key);
    if (!p) {
      p = query(this.store, spec).then(
        (result) => ({ result, source: this.register(spec, result) }),
        (e: unknown) => {
          if (e instanceof UserError) return e;
          throw e;
        },
      );
      this.answers.set(key, p);
    }
    return p;
  }

  /**
   * Runs a full-year projection once per spec; its numbers become one row (`measure: projection`, see
   * {@link projectionRow}) that footnotes cite like a query's.
   */
  async project(spec: ProjectionSpec): Promise<{ projection: Projection; source: number } | UserError> {
    const key = canonicalJson(spec);
    let p = this.projections.get(key) as Promise<{ projection: Projection; source: number } | UserError> | undefined;
    if (!p) {
      p = projectFullYear(this.store, spec).then(
        (projection) => {
          this.results.push({ rows: [projectionRow(projection)] });
          this.sources.push({
            kind: 'projection',
            spec: spec as unknown as QuerySpecInput,
            dataset: projection.provenance.datasets.join(', '),
            currency: projection.currency,
            vintages: projection.provenance.vintages.map((v) => ({ ...v, files: [...v.files] })),
            conversions: [],
            flags: [],
            notes: [projection.method, ...projection.warnings.map((w) => w.message)],
          });
          return { projection, source: this.sources.length - 1 };
        },
        (e: unknown) => {
          if (e instanceof UserError) return e;
          throw e;
        },
      );
      this.projections.set(key, p as Promise<Answer | UserError>);
    }
    return p;
  }

  /** Every loaded dataset's summary (periods, reporters, partners, classifications). */
  datasets(): Promise<DatasetSummary[]> {
    this.summaries ??= this.store.datasets();
    return this.summaries;
  }

  /**
   * Reads a cell of an answered query (see {@link CellRef}).
   * @example ctx.read({ source: 0, match: { measure: 'exports' }, column: 'value' })
   */
  read = (c: CellRef): string | undefined => {
    const r = this.results[c.source];
    return r ? cellText(r, c.match, c.column) : undefined;
  };

  private register(spec: QuerySpecInput, r: QueryResult): number {
    this.results.push(r);
    this.sources.push({
      spec,
      dataset: r.provenance.dataset,
      currency: r.provenance.currency,
      vintages: (r.provenance.vintages ?? []).map((v) => ({ ...v, files: [...v.files] })),
      conversions: [...(r.provenance.conversions ?? [])],
      flags: [...(r.provenance.flags ?? [])],
      notes: r.notes
        .filter((n) => n.severity !== 'info' || /sum|revis|first-published|converted/i.test(n.code))
        .map((n) => n.message),
    });
    return this.sources.length - 1;
  }
}

/** JSON with keys sorted, so equal specs have equal keys. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * A projection's numbers as one row, rounded to whole currency units (probability to 4 decimals), so that
 * a brief cites them like query cells and a test can re-run the projection and compare.
 * @example projectionRow(p) // { measure: 'projection', median: '27141944560018', lower80: '25435391089742', … }
 */
export function projectionRow(p: Projection): Record<string, string | null> {
  const whole = (x: number) => String(Math.round(x));
  const row: Record<string, string | null> = {
    measure: 'projection',
    actual: p.actual,
    median: whole(p.distribution.median),
    probability: p.probabilityAbove ? (Math.round(p.probabilityAbove.p * 10000) / 10000).toFixed(4) : null,
    probability_pct: p.probabilityAbove ? (Math.round(p.probabilityAbove.p * 1000) / 10).toFixed(1) : null,
  };
  for (const i of p.distribution.intervals) {
    row[`lower${i.level}`] = whole(i.lower);
    row[`upper${i.level}`] = whole(i.upper);
  }
  return row;
}
