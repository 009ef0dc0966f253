import { join } from 'node:path';
import { aggregateAreaCodes } from '../../src/model/areas.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { describeQueryCases } from './query-cases.js';
import { describeStoreContract, type StoreFactory } from './store-contract.js';

const factory: StoreFactory = {
  async open(dir) {
    const path = join(dir, 'store.duckdb');
    return { store: await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() }), stagingBase: path };
  },
};

describeStoreContract('duckdb', factory);
describeQueryCases('duckdb', factory);
