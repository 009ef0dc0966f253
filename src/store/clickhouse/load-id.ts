/**
 * Load ids on ClickHouse, which has no sequence and no unique key: two ingests into one database that both read
 * `max(load_id) + 1` would share an id and mix their rows. An id is therefore claimed, not just taken:
 *
 * 1. read the highest id claimed or started, note the time; 2. insert a claim (id, a random token), synchronously;
 * 3. if more than half the settle time passed between the read and the insert's answer, give the id up and start
 * again (a claim that slow could land after a rival's check); 4. wait the settle time, then read every claim of
 * the id: the id is ours when our token is the smallest. A rival that read the same maximum inserted its claim
 * within half the settle time of its read, which came before our insert, so our check sees it, and its check sees
 * ours: both pick the same smallest token, and exactly one keeps the id. The other starts again from the new
 * maximum. Claims are sharded by id, so every claim of an id sits on one shard.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the reservation needs from the database. */
export interface ClaimTable {
  /** The highest id in `load_claims` and `load_starts` (0 when there is none). */
  highestId(): Promise<number>;
  /** Inserts a claim; resolves once it is visible to every later read. */
  insertClaim(id: number, token: string): Promise<void>;
  /** The tokens of every claim of `id`. */
  claimsOf(id: number): Promise<string[]>;
}

export interface ReserveOptions {
  /** How long a claim settles before it is checked (ms; default 400). */
  settleMs?: number;
  /** Attempts before giving up (default 50). */
  attempts?: number;
}

/**
 * Reserves a load id no other writer of the database gets (see the module comment).
 * @example const id = await reserveLoadId(table) // 7, while a concurrent ingest gets 8
 */
export async function reserveLoadId(table: ClaimTable, options: ReserveOptions = {}): Promise<number> {
  const settle = options.settleMs ?? 400;
  const attempts = options.attempts ?? 50;
  const token = randomUUID();
  for (let i = 0; i < attempts; i++) {
    const t0 = performance.now();
    const id = (await table.highestId()) + 1;
    await table.insertClaim(id, token);
    if (performance.now() - t0 > settle / 2) continue; // too slow to be sure of: leave this id to others
    await sleep(settle);
    const tokens = (await table.claimsOf(id)).sort();
    if (tokens[0] === token) return id;
    await sleep(Math.random() * settle);
  }
  throw new Error(`could not reserve a load id in ${attempts} attempts: too many writers at once?`);
}
