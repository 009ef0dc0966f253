/**
 * Starts real `clickhouse-server` processes on loopback for the tests: one node, or two nodes that are the two
 * shards of one cluster (`remote_servers`), each with its own generated config, data directory and
 * tcp/http/interserver ports. Waits until every node answers, and stops exactly the processes it started,
 * by their process ids.
 *
 * Debian's 18.16 server runs as root without complaint when its paths are writable; nothing here needs a
 * system service, ZooKeeper or the packaged config.
 *
 * @example
 *   const cluster = await startClickHouse({ shards: 2 });
 *   const url = cluster.url('tradescope_test_1'); // clickhouse://default@127.0.0.1:PORT/db?cluster=…&shards=…
 *   await cluster.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = process.env.TRADESCOPE_CLICKHOUSE_SERVER ?? '/usr/sbin/clickhouse-server';
export const CLUSTER_NAME = 'tradescope_test';

export interface ClickHouseNode {
  pid: number;
  httpPort: number;
  tcpPort: number;
  dir: string;
}

export interface RunningClickHouse {
  nodes: ClickHouseNode[];
  /** A store URL for database `db`: the first node, with the cluster and its shards when there are two. */
  url(db: string): string;
  stop(): Promise<void>;
}

/** Sends a signal to a process this helper started; a process already gone is fine. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/** A free TCP port on loopback (asked from the kernel). */
async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function configXml(dir: string, ports: { http: number; tcp: number; interserver: number }, shards: number[]): string {
  const remote = shards
    .map((tcp) => `<shard><replica><host>127.0.0.1</host><port>${tcp}</port></replica></shard>`)
    .join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers><${CLUSTER_NAME}>${remote}</${CLUSTER_NAME}></remote_servers>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>6000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

async function waitReady(node: ClickHouseNode, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  while (Date.now() < deadline) {
    if (exited !== null) {
      const err = existsSync(join(node.dir, 'server.err.log'))
        ? readFileSync(join(node.dir, 'server.err.log'), 'utf8')
        : '';
      const out = existsSync(join(node.dir, 'stdout.log')) ? readFileSync(join(node.dir, 'stdout.log'), 'utf8') : '';
      throw new Error(`clickhouse-server exited with ${exited} before it was ready:\n${(err || out).slice(-2000)}`);
    }
    try {
      const r = await fetch(`http://127.0.0.1:${node.httpPort}/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clickhouse-server on port ${node.httpPort} did not answer within ${timeoutMs} ms`);
}

/** Starts `shards` servers (1 or more) as the shards of {@link CLUSTER_NAME}. */
export async function startClickHouse(options: { shards?: number; dir?: string } = {}): Promise<RunningClickHouse> {
  if (!existsSync(CLICKHOUSE_SERVER)) {
    throw new Error(
      `${CLICKHOUSE_SERVER} not found: install Debian's ClickHouse as root (apt-get install -y clickhouse-server)`,
    );
  }
  const count = options.shards ?? 1;
  const base = options.dir ?? mkdtempSync(join(tmpdir(), 'tradescope-clickhouse-'));
  const ports = [];
  for (let i = 0; i < count; i++) {
    ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  }
  const nodes: ClickHouseNode[] = [];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.pid === undefined) return done();
            const timer = setTimeout(() => {
              if (child.exitCode === null && child.pid !== undefined) signal(child.pid, 'SIGKILL');
            }, 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            signal(child.pid, 'SIGTERM');
          }),
      ),
    );
    if (!options.dir) rmSync(base, { recursive: true, force: true });
  };
  try {
    for (const [i, p] of ports.entries()) {
      const dir = join(base, `node${i + 1}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(
        join(dir, 'config.xml'),
        configXml(
          dir,
          p,
          ports.map((x) => x.tcp),
        ),
      );
      writeFileSync(join(dir, 'users.xml'), USERS_XML);
      const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, 'config.xml')}`], {
        cwd: dir,
        stdio: 'ignore',
      });
      children.push(child);
      if (child.pid === undefined) throw new Error(`could not start ${CLICKHOUSE_SERVER}`);
      nodes.push({ pid: child.pid, httpPort: p.http, tcpPort: p.tcp, dir });
    }
    await Promise.all(nodes.map((n, i) => waitReady(n, children[i]!, 60_000)));
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    nodes,
    url(db: string) {
      const first = nodes[0]!;
      const base = `clickhouse://default@127.0.0.1:${first.httpPort}/${db}`;
      if (nodes.length === 1) return base;
      const shards = nodes.map((n) => `127.0.0.1:${n.httpPort}`).join(',');
      return `${base}?cluster=${CLUSTER_NAME}&shards=${shards}`;
    },
    stop,
  };
}
