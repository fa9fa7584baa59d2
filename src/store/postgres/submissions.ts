import type { Pool } from 'pg';
import { StoreNotFoundError, guard } from '../errors.js';
import { DEFAULT_SUBMISSION_TTL_MS, type Clock, type SubmissionStore } from '../store.js';
import { verifyTtl } from '../ttl.js';

export interface PostgresSubmissions extends SubmissionStore {
  /** Deletes expired keys; returns how many. */
  pruneSubmissions(): Promise<number>;
}

// INSERT ... ON CONFLICT is atomic across sessions: a concurrent claimer waits for the
// inserting transaction, then takes the conflict branch, whose WHERE only lets it take over an
// expired key. So exactly one claimer gets a row back.
const CLAIM = `
  INSERT INTO submissions (key, state, result, created_at, expires_at, completed_at)
  VALUES ($1, 'pending', NULL, $2, $3, NULL)
  ON CONFLICT (key) DO UPDATE SET
    state = 'pending', result = NULL, created_at = EXCLUDED.created_at,
    expires_at = EXCLUDED.expires_at, completed_at = NULL
  WHERE submissions.expires_at <= EXCLUDED.created_at`;

export const createPostgresSubmissions = (pool: Pool, now: Clock): PostgresSubmissions => ({
  claimSubmission: guard('claimSubmission', async (key: string, ttlMs: number = DEFAULT_SUBMISSION_TTL_MS) => {
    verifyTtl(ttlMs);
    const at = now();
    const { rowCount } = await pool.query(CLAIM, [key, at, new Date(at.getTime() + ttlMs)]);
    return rowCount === 1 ? 'claimed' : 'duplicate';
  }),
  completeSubmission: guard('completeSubmission', async (key: string, result: unknown) => {
    const json = result === undefined ? null : JSON.stringify(result);
    const { rowCount } = await pool.query(
      `UPDATE submissions SET state = 'done', result = $2::jsonb, completed_at = $3 WHERE key = $1`,
      [key, json, now()],
    );
    if (rowCount === 0) throw new StoreNotFoundError('submission', key);
  }),
  releaseSubmission: guard('releaseSubmission', async (key: string) => {
    await pool.query(`DELETE FROM submissions WHERE key = $1 AND state = 'pending'`, [key]);
  }),
  getSubmission: guard('getSubmission', async (key: string) => {
    const { rows } = await pool.query<{ state: 'pending' | 'done'; result: unknown }>(
      'SELECT state, result FROM submissions WHERE key = $1 AND expires_at > $2',
      [key, now()],
    );
    const row = rows[0];
    if (!row) return undefined;
    // jsonb `null` and SQL NULL both arrive as null: neither is a result.
    return row.result === null ? { state: row.state } : { state: row.state, result: row.result };
  }),
  pruneSubmissions: guard('prune', async () => (await pool.query('DELETE FROM submissions WHERE expires_at <= $1', [now()])).rowCount ?? 0),
});
