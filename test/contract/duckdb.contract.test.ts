import { join } from 'node:path';
import { aggregateAreaCodes } from '../../src/model/areas.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('duckdb', {
  async open(dir) {
    const path = join(dir, 'store.duckdb');
    return { store: await DuckDbStore.open(path, { aggregatePartners: aggregateAreaCodes() }), stagingBase: path };
  },
});
