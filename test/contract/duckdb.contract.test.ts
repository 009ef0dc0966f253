import { join } from 'node:path';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('duckdb', {
  async open(dir) {
    const path = join(dir, 'store.duckdb');
    return { store: await DuckDbStore.open(path), stagingBase: path };
  },
});
