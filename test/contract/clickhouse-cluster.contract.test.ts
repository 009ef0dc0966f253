/**
 * The store contract on a two-shard ClickHouse cluster: two real `clickhouse-server` processes on loopback, the two shards of one
 * cluster (`remote_servers`), started for this file, a fresh
 * database per test.
 */
import { afterAll, beforeAll } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { type RunningClickHouse, startClickHouse } from '../clickhouse/cluster.js';
import { describeQueryCases } from './query-cases.js';
import { describeStoreContract, type StoreFactory } from './store-contract.js';

let server: RunningClickHouse;
let n = 0;
beforeAll(async () => {
  server = await startClickHouse({ shards: 2 });
});
afterAll(async () => {
  await server?.stop();
});

const factory: StoreFactory = {
  async open(dir) {
    const store = await ClickHouseStore.open(server.url(`cluster_${process.pid}_${++n}`));
    return { store, stagingBase: `${dir}/staging.duckdb` };
  },
};

describeStoreContract('clickhouse (two-shard cluster)', factory);
describeQueryCases('clickhouse (two-shard cluster)', factory);
