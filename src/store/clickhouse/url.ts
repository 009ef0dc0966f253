/**
 * `clickhouse://user:password@host:port/database?cluster=name&shards=host:port,host:port&local=path` → options.
 *
 * - `host:port` is a server's HTTP interface (8123 by default); `https` is used with `?secure=1`.
 * - `cluster` names a cluster of the server's `remote_servers`: tables are then `*_local` MergeTree tables on
 *   every shard with `Distributed` tables over them. Without it the store is a single node.
 * - `shards` lists the HTTP endpoints of the cluster's shards, for creating the schema shard by shard (no
 *   ZooKeeper needed). Without it the schema is created with `ON CLUSTER` (distributed DDL, which needs
 *   ZooKeeper / ClickHouse Keeper, as production clusters have) or must already exist.
 * - `local` is a DuckDB file kept beside the cluster for what is local to one tradescope installation
 *   (exchange-rate series loaded with `tradescope fx load`); the default is in memory.
 * - The password may also come from `TRADESCOPE_CLICKHOUSE_PASSWORD`.
 *
 * @example parseClickHouseUrl('clickhouse://default@127.0.0.1:8123/tradescope?cluster=trade')
 *   // { url: 'http://127.0.0.1:8123', username: 'default', password: '', database: 'tradescope', cluster: 'trade', … }
 */
import { UserError } from '../../util/errors.js';
import { identifier } from './binder.js';

export interface ClickHouseLocation {
  /** HTTP(S) origin of the server the store talks to. */
  url: string;
  username: string;
  password: string;
  database: string;
  cluster?: string;
  /** HTTP origins of every shard, for per-shard DDL. */
  shards?: string[];
  local?: string;
}

export function isClickHouseUrl(loc: string): boolean {
  return /^clickhouse:\/\//i.test(loc);
}

/** Parses a store URL; bad input is a UserError naming the part and what to write instead. */
export function parseClickHouseUrl(loc: string, env: NodeJS.ProcessEnv = process.env): ClickHouseLocation {
  const example = 'clickhouse://user@host:8123/database?cluster=name';
  let u: URL;
  try {
    u = new URL(loc.replace(/^clickhouse:/i, 'http:'));
  } catch {
    throw new UserError(`invalid ClickHouse URL: ${redact(loc)} (expected ${example})`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, '').replace(/\/$/, '')) || 'tradescope';
  try {
    identifier(database, 'database name');
  } catch (e) {
    throw new UserError(`${(e as Error).message} in ${redact(loc)} (expected ${example})`);
  }
  const known = new Set(['cluster', 'shards', 'local', 'secure']);
  for (const k of u.searchParams.keys()) {
    if (!known.has(k)) {
      throw new UserError(`unknown ClickHouse URL option ${k} in ${redact(loc)} (known: ${[...known].join(', ')})`);
    }
  }
  const secure = u.searchParams.get('secure') === '1' || u.searchParams.get('secure') === 'true';
  const scheme = secure ? 'https' : 'http';
  const port = u.port || (secure ? '8443' : '8123');
  const cluster = u.searchParams.get('cluster') ?? undefined;
  if (cluster !== undefined) {
    try {
      identifier(cluster, 'cluster name');
    } catch (e) {
      throw new UserError(`${(e as Error).message} in ${redact(loc)}`);
    }
  }
  const shardsParam = u.searchParams.get('shards');
  let shards: string[] | undefined;
  if (shardsParam) {
    if (!cluster)
      throw new UserError(`shards= needs cluster= in ${redact(loc)} (expected ${example}&shards=h1:8123,h2:8123)`);
    shards = shardsParam.split(',').map((s) => {
      const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(s.trim());
      if (!m) throw new UserError(`invalid shard ${JSON.stringify(s)} in shards= of ${redact(loc)} (host:httpPort)`);
      return `${scheme}://${m[1]}:${m[2]}`;
    });
  }
  const local = u.searchParams.get('local') ?? undefined;
  return {
    url: `${scheme}://${u.hostname}:${port}`,
    username: decodeURIComponent(u.username) || 'default',
    password: u.password ? decodeURIComponent(u.password) : (env.TRADESCOPE_CLICKHOUSE_PASSWORD ?? ''),
    database,
    ...(cluster ? { cluster } : {}),
    ...(shards ? { shards } : {}),
    ...(local ? { local } : {}),
  };
}

/** The URL with its password replaced by `***` (for messages and `store.location`). */
export function redact(loc: string): string {
  return loc.replace(/^(clickhouse:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}
