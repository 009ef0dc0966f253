/**
 * The store contract on one ClickHouse node: a real `clickhouse-server` started for this file, a fresh
 * database per test.
 */
import { afterAll, beforeAll } from 'vitest';
import { ClickHouseStore } from '../../src/store/clickhouse/clickhouse-store.js';
import { type RunningClickHouse, startClickHouse } from '../clickhouse/cluster.js';
import { describeStoreContract } from './store-contract.js';

let server: RunningClickHouse;
let n = 0;
beforeAll(async () => {
  server = await startClickHouse({ shards: 1 });
});
afterAll(async () => {
  await server?.stop();
});

describeStoreContract('clickhouse (one node)', {
  async open(dir) {
    const store = await ClickHouseStore.open(server.url(`contract_${process.pid}_${++n}`));
    return { store, stagingBase: `${dir}/staging.duckdb` };
  },
});
