/**
 * Shared pieces of the command line: the options every command takes, and how a command reports its exit code.
 */
import type { Command } from 'commander';
import { UserError } from '../util/errors.js';

/** Runs a command body; the promise resolves to the exit code (0 ok, 2 user error). */
export type Run = (code: Promise<number>) => void;

/** Adds `--db` and `--json`, which every command takes. */
export function common(cmd: Command): Command {
  return cmd
    .option('--db <path>', 'store: a DuckDB file (default ./tradescope.duckdb, or $TRADESCOPE_DB)')
    .option('--json', 'print one JSON document on stdout');
}

export const PERIOD_HELP =
  'period: 2025, 2025-06, 2025-Q1, 2025-H1, 2025-01..2025-06, ytd:2025-06, r12:2025-06, 2025-01+02';

/**
 * A whole-number flag between `lo` and `hi` (undefined when not given); anything else is a UserError naming it.
 * @example intOption('--horizon', '12', 1, 120) // 12
 */
export function intOption(flag: string, v: string | undefined, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new UserError(`${flag}: ${v} (a whole number from ${lo} to ${hi})`);
  return n;
}

/**
 * The monthly series a forecast or backtest reads: `--measure value` (with `--flow X|M`), `balance` or `total`.
 * @example seriesOption({ measure: 'balance' }) // { measure: 'balance', flow: undefined }
 */
export function seriesOption(o: { measure?: string; flow?: string }): {
  measure: 'value' | 'balance' | 'total';
  flow: 'X' | 'M' | undefined;
} {
  const measure = o.measure ?? 'value';
  if (measure !== 'value' && measure !== 'balance' && measure !== 'total')
    throw new UserError(`--measure: ${o.measure} (use value, balance or total)`);
  const flow = o.flow?.toUpperCase();
  if (flow !== undefined && flow !== 'X' && flow !== 'M') throw new UserError(`--flow: ${o.flow} (use X or M)`);
  if (measure === 'value' && !flow)
    throw new UserError(
      '--flow is required with --measure value (X for exports, M for imports), or use --measure balance',
    );
  return { measure, flow };
}
