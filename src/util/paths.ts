/**
 * Where the package's own files are at run time: bundled data and mappings ship inside the package,
 * so the product never reads anything outside it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('cannot find the tradescope package root (package.json beside data/)');
}

/** Absolute path of the package root (the folder holding package.json, data/ and mappings/). */
export const packageRoot: string = findPackageRoot();

/**
 * Absolute path of a bundled data file.
 * @example dataPath('codes', 'areas.csv')
 */
export function dataPath(...parts: string[]): string {
  return join(packageRoot, 'data', ...parts);
}

/** Absolute path of a bundled mapping file. */
export function mappingPath(...parts: string[]): string {
  return join(packageRoot, 'mappings', ...parts);
}
