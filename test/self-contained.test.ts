/**
 * The repository is self-contained: code, tests, benchmarks and scripts read only files inside it. A clone has no
 * folder of development data beside it, so no file under src/, test/, bench/ or scripts/ may name one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Spelled in pieces so that this file does not name them itself.
const FORBIDDEN = [['..', 'shared'].join('/'), ['shared', 'data'].join('/')];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

describe('a fresh clone needs nothing outside the repository', () => {
  it('no file under src/, test/, bench/ or scripts/ names a folder outside it', () => {
    const offenders: string[] = [];
    let read = 0;
    for (const top of ['src', 'test', 'bench', 'scripts']) {
      for (const path of files(join(ROOT, top))) {
        const text = readFileSync(path).toString('latin1');
        read++;
        text.split('\n').forEach((line, i) => {
          for (const f of FORBIDDEN) if (line.includes(f)) offenders.push(`${relative(ROOT, path)}:${i + 1}: ${f}`);
        });
      }
    }
    expect(read).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it('every fixture the tests read has its provenance line', () => {
    const readme = readFileSync(join(ROOT, 'test', 'fixtures', 'README.md'), 'utf8');
    const dir = join(ROOT, 'test', 'fixtures');
    const listed = [...files(dir)]
      .map((p) => relative(dir, p))
      .filter((p) => p !== 'README.md')
      .filter((p) => !readme.includes(`\`${p}\``));
    expect(listed).toEqual([]);
  });
});
