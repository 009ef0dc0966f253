/**
 * What makes two loads the same load. The file's bytes alone are not enough: the same file read with a corrected
 * mapping (`unit: million USD` instead of `USD`) gives other numbers, so it must be a new load that supersedes the
 * old one, not "unchanged". A load's identity is the file's hash combined with the hashes of the mapping and of
 * the code dictionary it was read with (a file read without either keeps its bare hash, so stores written before
 * this rule still find their loads).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../util/errors.js';

/** The reader options that change what a file's rows mean. */
export interface IdentityOptions {
  /** Path of the column mapping (YAML or JSON). */
  mapping?: string;
  /** Path of a code dictionary (BACI's country codes). */
  codes?: string;
}

/**
 * The identity hash of a load of a file with hash `fileHash` read with `opts`.
 * @example loadIdentity('ab12…', { mapping: 'mappings/fred-impch.yaml' }) // sha256 of 'ab12…|mapping=<sha256>'
 */
export function loadIdentity(fileHash: string, opts: IdentityOptions): string {
  const parts = [
    opts.mapping !== undefined ? `mapping=${sha256Of(opts.mapping, '--mapping')}` : '',
    opts.codes !== undefined ? `codes=${sha256Of(opts.codes, '--codes')}` : '',
  ].filter(Boolean);
  if (!parts.length) return fileHash;
  return createHash('sha256')
    .update(`${fileHash}|${parts.join('|')}`)
    .digest('hex');
}

function sha256Of(path: string, flag: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch (e) {
    throw new UserError(`${flag}: cannot read ${path}: ${(e as Error).message}`);
  }
}
