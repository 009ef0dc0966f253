/**
 * The store contract on one ClickHouse node: a real `clickhouse-server` started for this file, a fresh
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
  server = await startClickHouse({ shards: 1 });
});
afterAll(async () => {
  await server?.stop();
});

const factory: StoreFactory = {
  async open(dir) {
    const store = await ClickHouseStore.open(server.url(`contract_${process.pid}_${++n}`));
    return { store, stagingBase: `${dir}/staging.duckdb` };
  },
};

describeStoreContract('clickhouse (one node)', factory);
describeQueryCases('clickhouse (one node)', factory);
