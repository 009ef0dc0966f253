/**
 * A store built from the bundled datasets (as `tradescope demo` builds it) in a temp folder, for the HTTP and
 * browser tests. One per test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED } from '../../src/cli/commands/demo.js';
import { openStore } from '../../src/cli/open-store.js';
import { ingestFile } from '../../src/ingest/ingest.js';
import type { TradeStore } from '../../src/store/store.js';
import { dataPath, mappingPath } from '../../src/util/paths.js';

export async function bundledStore(): Promise<{ store: TradeStore; path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tradescope-server-'));
  const path = join(dir, 'bundled.duckdb');
  const store = await openStore(path);
  for (const b of BUNDLED) {
    await ingestFile(store, dataPath(...b.file), {
      format: b.format,
      ...(b.mapping ? { mapping: mappingPath(b.mapping) } : {}),
      stagingBase: path,
    });
  }
  return { store, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
