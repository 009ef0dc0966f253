/**
 * Checks a DuckDB load makes inside its transaction, beside the validation SQL: what the fact columns rounded
 * (reported, never silent), and which earlier loads of the same file, read another way, it supersedes.
 */

import type { Problem } from '../../util/errors.js';
import type { LoadMeta } from '../store.js';
import type { DuckDb } from './duckdb-connection.js';

/**
 * What the facts' columns could not keep exactly (values to 0.0001 of the currency, weights and quantities to
 * 0.001): each a `rounded` warning with its count and an example, so no number is rounded in silence.
 */
export async function roundedWarnings(db: DuckDb): Promise<Problem[]> {
  const r = await db.one(
    `SELECT count(*) FILTER (WHERE measure <> 'yoy' AND vbase <> round(vbase, 4)) AS nv,
       any_value(value) FILTER (WHERE measure <> 'yoy' AND vbase <> round(vbase, 4)) AS ev,
       any_value(currency) AS currency,
       count(*) FILTER (WHERE wbase <> round(wbase, 3)) AS nw,
       any_value(net_weight) FILTER (WHERE wbase <> round(wbase, 3)) AS ew,
       count(*) FILTER (WHERE q12 <> round(q12, 3)) AS nq,
       any_value(quantity) FILTER (WHERE q12 <> round(q12, 3)) AS eq
     FROM norm WHERE problem IS NULL AND NOT conflict`,
  );
  const out: Problem[] = [];
  const add = (n: unknown, what: string, example: unknown) => {
    if (Number(n) > 0)
      out.push({
        code: 'rounded',
        severity: 'warning',
        message: `${n} ${what} (e.g. ${example}; float-printed source values?)`,
        params: { count: Number(n), example: String(example) },
      });
  };
  add(r?.nv, `value(s) had more than 4 decimal places in base units and were rounded to 0.0001 ${r?.currency}`, r?.ev);
  add(r?.nw, 'net weight(s) had more than 3 decimal places in kg and were rounded to 0.001 kg', r?.ew);
  add(r?.nq, 'quantity(ies) had more than 3 decimal places and were rounded to 0.001', r?.eq);
  return out;
}

/**
 * Takes out of view the earlier loads of the same file bytes read another way (a corrected mapping): the new load
 * supersedes them for their cells, in the same transaction; they stay listed in `superseded_loads`.
 */
export async function supersedeEarlierReadings(db: DuckDb, loadId: number, meta: LoadMeta): Promise<Problem[]> {
  if (!meta.fileHash || meta.fileHash === meta.contentHash) return [];
  const earlier = await db.all(
    `SELECT l.load_id, l.mapping FROM loads l JOIN committed_loads c USING (load_id) LEFT JOIN load_files f USING (load_id)
     WHERE l.dataset = $1 AND coalesce(f.file_hash, l.content_hash) = $2 AND l.content_hash <> $3 ORDER BY l.load_id`,
    [meta.dataset, meta.fileHash, meta.contentHash],
  );
  const out: Problem[] = [];
  for (const e of earlier) {
    await db.run('DELETE FROM committed_loads WHERE load_id = $1', [Number(e.load_id)]);
    await db.run('INSERT OR REPLACE INTO superseded_loads VALUES ($1, $2, now())', [Number(e.load_id), loadId]);
    out.push({
      code: 'superseded',
      severity: 'info',
      message: `load ${e.load_id} of the same file (read with ${e.mapping === null ? 'no mapping' : `mapping ${e.mapping}`}) is superseded by this load: its cells now read from this one`,
      params: { load: Number(e.load_id), by: loadId },
    });
  }
  return out;
}
