import type { Database } from 'better-sqlite3';
import { StoreNotFoundError, guard } from '../errors.js';
import { DEFAULT_SUBMISSION_TTL_MS, type Clock, type SubmissionStore } from '../store.js';
import { verifyTtl } from '../ttl.js';

export interface SqliteSubmissions extends SubmissionStore {
  /** Deletes expired keys; returns how many. */
  pruneSubmissions(): Promise<number>;
}

export const createSqliteSubmissions = (db: Database, now: Clock): SqliteSubmissions => {
  // A new key is inserted; an expired one is taken over; a live one is left alone, so
  // `changes` is 1 for exactly one claimer.
  const claim = db.prepare<[string, number, number]>(`
    INSERT INTO submissions (key, state, result, created_at, expires_at, completed_at)
    VALUES (?, 'pending', NULL, ?, ?, NULL)
    ON CONFLICT (key) DO UPDATE SET
      state = 'pending', result = NULL, created_at = excluded.created_at,
      expires_at = excluded.expires_at, completed_at = NULL
    WHERE submissions.expires_at <= excluded.created_at`);
  const complete = db.prepare<[string | null, number, string]>(
    `UPDATE submissions SET state = 'done', result = ?, completed_at = ? WHERE key = ?`,
  );
  const release = db.prepare<[string]>(`DELETE FROM submissions WHERE key = ? AND state = 'pending'`);
  const get = db.prepare<[string, number], { state: 'pending' | 'done'; result: string | null }>(
    'SELECT state, result FROM submissions WHERE key = ? AND expires_at > ?',
  );
  const prune = db.prepare<[number]>('DELETE FROM submissions WHERE expires_at <= ?');

  return {
    claimSubmission: guard('claimSubmission', (key: string, ttlMs: number = DEFAULT_SUBMISSION_TTL_MS) => {
      verifyTtl(ttlMs);
      const at = now().getTime();
      return claim.run(key, at, at + ttlMs).changes === 1 ? 'claimed' : 'duplicate';
    }),
    completeSubmission: guard('completeSubmission', (key: string, result: unknown) => {
      const json = result === undefined ? null : JSON.stringify(result);
      if (complete.run(json, now().getTime(), key).changes === 0) throw new StoreNotFoundError('submission', key);
    }),
    releaseSubmission: guard('releaseSubmission', (key: string) => {
      release.run(key);
    }),
    getSubmission: guard('getSubmission', (key: string) => {
      const row = get.get(key, now().getTime());
      if (!row) return undefined;
      const result: unknown = row.result === null ? null : JSON.parse(row.result);
      return result === null ? { state: row.state } : { state: row.state, result };
    }),
    pruneSubmissions: guard('prune', () => prune.run(now().getTime()).changes),
  };
};
