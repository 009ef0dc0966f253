/**
 * Shared pieces of the command line: the options every command takes, and how a command reports its exit code.
 */
import type { Command } from 'commander';

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
