/**
 * The state detectors share while a brief is built: the store, the request, and the queries run so far
 * (memoised by spec, each registered once as a {@link Source} that footnotes cite).
 */
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
  /** The result of each source, by the same index. */
  readonly results: QueryResult[] = [];
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
