/**
 * Golden files for briefs: output is normalised (ingest-date vintages, absolute paths) and compared with a
 * committed file under test/golden/brief/; a mismatch writes `<name>-changed.<ext>` beside it to inspect.
 * `UPDATE_GOLDEN=1` rewrites the golden files.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden', 'brief');

/** What differs from run to run and machine to machine: the date a file without a release date was loaded. */
export function normalise(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}( \(ingest date\))/g, 'YYYY-MM-DD$1')
    .replace(/\d{4}-\d{2}-\d{2}(（ingest date）)/g, 'YYYY-MM-DD$1');
}

/** Compares with the golden file; returns null when equal, else a message naming the `-changed` file. */
export function compareGolden(name: string, actual: string): string | null {
  const file = join(GOLDEN_DIR, name);
  const changed = file.replace(/(\.[a-z]+)$/, '-changed$1');
  const text = normalise(actual);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    writeFileSync(file, text);
    rmSync(changed, { force: true });
    return null;
  }
  if (readFileSync(file, 'utf8') === text) {
    rmSync(changed, { force: true });
    return null;
  }
  writeFileSync(changed, text);
  return `${name} differs from the golden file: see ${changed} (UPDATE_GOLDEN=1 to accept)`;
}
