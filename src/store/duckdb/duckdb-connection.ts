/**
 * A thin wrapper over @duckdb/node-api: bound parameters only, rows as plain JSON-safe objects.
 */
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export type SqlValue = string | number | boolean | bigint | null;
export type Row = Record<string, SqlValue>;

export class DuckDb {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (or creates) a database file; `:memory:` for an in-memory one. */
  static async open(path: string, options: Record<string, string> = {}): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(path, options);
    const connection = await DuckDBConnection.create(instance);
    return new DuckDb(instance, connection, path);
  }

  /** Runs a statement with bound values. */
  async run(sql: string, values: readonly SqlValue[] = []): Promise<void> {
    await this.connection.run(sql, values as DuckDBValue[]);
  }

  /** Runs a query and returns its rows as objects (BIGINT as number when safe, DECIMAL as text). */
  async all(sql: string, values: readonly SqlValue[] = []): Promise<Row[]> {
    const reader = await this.connection.runAndReadAll(sql, values as DuckDBValue[]);
    const names = reader.columnNames();
    const out: Row[] = [];
    for (const r of reader.getRows()) {
      const o: Row = {};
      names.forEach((n, i) => {
        o[n] = toPlain(r[i]);
      });
      out.push(o);
    }
    return out;
  }

  async one(sql: string, values: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await this.all(sql, values))[0];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function toPlain(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  // DECIMAL, DATE, TIMESTAMP and friends print exactly through toString()
  return String(v);
}

/** `$1, $2, …` placeholders starting after `offset`, for binding a list. */
export function placeholders(count: number, offset: number): string {
  return Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');
}

/** Quotes a file path as a SQL string literal (paths come from our own code, never from SQL text). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
