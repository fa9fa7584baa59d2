import type { Pool } from 'pg';
import { guard } from '../errors.js';
import { createGroupCommit } from '../group-commit.js';
import { OUTBOX_ROW_COLUMNS, byId, inboundRun, toOutboxRow, verifyClaim, type FollowerColumns, type OutboxRowColumns } from '../outbox-rows.js';
import { ANY_NUMBER, DONE_OUTBOX_RETENTION_MS, type OutboxRow, type OutboxStatus, type OutboxStore, type ReleasedRows } from '../relay.js';
import type { Clock } from '../store.js';
import { withTransaction } from './transaction.js';

export interface PostgresOutbox extends OutboxStore {
  /** Deletes done rows older than the retention; returns how many. */
  pruneOutbox(): Promise<number>;
  /** Writes the changes still waiting for their group (before closing). */
  flushOutbox(): Promise<void>;
}

// A key's head is its lowest unfinished row; it is claimable when due, not leased (or its lease
// has ended) and no other row of its key is leased (rows taken by claimFollowing). The
// repeated `status IN (...)` is the partial indexes' condition, so that the planner uses them.
//
// Two instances claiming at once: SKIP LOCKED passes over a head another claimer has locked
// and not yet committed; a head whose claim committed after this statement's snapshot is
// locked, re-checked on its new version (now leased) and dropped. Completing a head commits
// before the next row of its key can be seen as the head, and enqueuePostgres makes a key's
// rows appear in id order, so a key is never in two hands and is delivered in id order.
const CLAIM = `
  WITH picked AS (
    SELECT o.id FROM outbox o
    WHERE o.status IN ('pending', 'claimed') AND o.due_at <= $2
      AND (o.status = 'pending' OR o.lease_until <= $2)
      AND NOT EXISTS (SELECT 1 FROM outbox p
        WHERE p.key = o.key AND p.status IN ('pending', 'claimed', 'waiting') AND p.id < o.id)
      AND NOT EXISTS (SELECT 1 FROM outbox c
        WHERE c.key = o.key AND c.status IN ('pending', 'claimed', 'waiting') AND c.status = 'claimed' AND c.lease_until > $2)
      AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.key = o.key AND q.status = 'parked' AND q.id < o.id)
    ORDER BY o.due_at, o.id
    LIMIT $4
    FOR UPDATE OF o SKIP LOCKED)
  UPDATE outbox SET status = 'claimed', claimed_by = $1, lease_until = $3,
    attempts = outbox.attempts + CASE WHEN outbox.status = 'claimed' THEN 1 ELSE 0 END
  FROM picked WHERE outbox.id = picked.id
  RETURNING outbox.id, outbox.key, outbox.task, outbox.attempts, outbox.created_at,
    (outbox.in_flight_since IS NOT NULL) AS maybe_posted`;

const IN_IDS = `id = ANY($1::bigint[]) AND status IN ('pending', 'claimed', 'waiting')`;
/** The rows of `$1` that worker `$2` holds. */
const HELD = `id = ANY($1::bigint[]) AND status = 'claimed' AND claimed_by = $2`;

export const createPostgresOutbox = (pool: Pool, now: Clock): PostgresOutbox => {
  const claimFollowing = (row: OutboxRow, worker: string, limit: number, leaseMs: number) =>
    withTransaction(pool, async (client): Promise<OutboxRow[]> => {
      const at = now();
      const until = new Date(at.getTime() + leaseMs);
      // Locking the head first serialises this with a worker taking it over after its lease.
      const head = await client.query<{ status: OutboxStatus; claimed_by: string | null; key: string }>(
        'SELECT status, claimed_by, key FROM outbox WHERE id = $1 FOR UPDATE',
        [row.id],
      );
      const held = head.rows[0];
      if (held?.status !== 'claimed' || held.claimed_by !== worker) return [];
      const behind = await client.query<FollowerColumns>(
        `SELECT ${OUTBOX_ROW_COLUMNS}, status, due_at, lease_until FROM outbox
         WHERE key = $1 AND status IN ('pending', 'claimed', 'waiting') AND id > $2
         ORDER BY id LIMIT $3 FOR UPDATE`,
        [held.key, row.id, limit],
      );
      const following = inboundRun(behind.rows, at.getTime());
      if (following.length === 0) return [];
      // The head's lease is renewed with theirs, so that the digest's rows expire together.
      await client.query('UPDATE outbox SET lease_until = $2 WHERE id = $1', [row.id, until]);
      const taken = await client.query<OutboxRowColumns>(
        `UPDATE outbox SET status = 'claimed', claimed_by = $2, lease_until = $3,
           attempts = attempts + CASE WHEN status = 'claimed' THEN 1 ELSE 0 END
         WHERE ${IN_IDS}
         RETURNING ${OUTBOX_ROW_COLUMNS}`,
        [following, worker, until],
      );
      return taken.rows.map(toOutboxRow).sort(byId);
    });

  const update = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rowCount ?? 0;
  // The rows of a round that find no link are parked in one statement, not one round trip and
  // commit each (during a burst of texts to an unlinked number, that is every row).
  const waits = createGroupCommit(async (lists: readonly (readonly number[])[]) => {
    // The rows queued behind them wait too: otherwise every claim would walk past them again.
    await update(
      `WITH parked AS (
         UPDATE outbox SET status = 'waiting', claimed_by = NULL, lease_until = NULL WHERE ${IN_IDS} RETURNING key)
       UPDATE outbox SET status = 'waiting'
       WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'pending' AND key IN (SELECT key FROM parked)`,
      [lists.flat()],
    );
    return lists.map(() => undefined);
  });

  /** Runs a release (an UPDATE, `$n` its parameters) and counts what it released, customer texts apart. */
  const release = async (sql: string, params: unknown[]): Promise<ReleasedRows> => {
    const { rows } = await pool.query<ReleasedRows>(
      `WITH released AS (${sql} RETURNING task->>'kind' AS kind)
       SELECT count(*) FILTER (WHERE kind = 'inbound')::int AS texts, count(*) FILTER (WHERE kind <> 'inbound')::int AS others FROM released`,
      params,
    );
    return rows[0] ?? { texts: 0, others: 0 };
  };

  // Only after a link: a read of the open rows (their partial index), each checked by the number
  // of its key (`ourNumber|customer`; split_part, since a range on `key` would follow the
  // database's collation rather than bytes).
  const releaseWaitingOf = (numbers: readonly string[]) =>
    release(
      `UPDATE outbox SET status = 'pending', due_at = $1, queued_at = $1
       WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'waiting'
         AND ($2 OR split_part(key, '|', 1) = ANY($3::text[]))`,
      [now(), numbers.includes(ANY_NUMBER), numbers],
    );

  return {
    claimOutbox: guard('claimOutbox', async (worker: string, limit: number, leaseMs: number) => {
      verifyClaim(limit, leaseMs);
      if (limit === 0) return [];
      const at = now();
      const { rows } = await pool.query<OutboxRowColumns>(CLAIM, [worker, at, new Date(at.getTime() + leaseMs), limit]);
      return rows.map(toOutboxRow).sort(byId);
    }),
    claimFollowing: guard('claimFollowing', async (row: OutboxRow, worker: string, limit: number, leaseMs: number) => {
      verifyClaim(limit, leaseMs);
      return limit === 0 ? [] : claimFollowing(row, worker, limit, leaseMs);
    }),
    completeOutbox: guard('completeOutbox', async (ids: readonly number[]) => {
      await update(`UPDATE outbox SET status = 'done', lease_until = NULL, completed_at = $2 WHERE ${IN_IDS}`, [ids, now()]);
    }),
    retryOutbox: guard('retryOutbox', async (ids: readonly number[], at: Date, error: string, outcome: 'refused' | 'unknown' = 'refused') => {
      // A refusal means Teams took nothing; a lost answer leaves the row marked as maybe posted.
      await update(
        `UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = $2, last_error = $3,
           claimed_by = NULL, lease_until = NULL, in_flight_since = CASE WHEN $4 THEN NULL ELSE in_flight_since END
         WHERE ${IN_IDS}`,
        [ids, at, error, outcome === 'refused'],
      );
    }),
    startOutboxAttempt: guard('startOutboxAttempt', (ids: readonly number[], worker: string) =>
      ids.length === 0 ? 0 : update(`UPDATE outbox SET in_flight_since = COALESCE(in_flight_since, $3) WHERE ${HELD}`, [ids, worker, now()]),
    ),
    renewOutbox: guard('renewOutbox', (ids: readonly number[], worker: string, leaseMs: number) => {
      verifyClaim(0, leaseMs);
      return ids.length === 0 ? 0 : update(`UPDATE outbox SET lease_until = $3 WHERE ${HELD}`, [ids, worker, new Date(now().getTime() + leaseMs)]);
    }),
    releaseOutboxClaims: guard('releaseOutboxClaims', (instance: string, except: string) =>
      update(
        `UPDATE outbox SET status = 'pending', due_at = $2, claimed_by = NULL, lease_until = NULL
         WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'claimed'
           AND substr(claimed_by, 1, length($1)) = $1 AND claimed_by <> $3`,
        [`${instance}:`, now(), except],
      ),
    ),
    deferOutbox: guard('deferOutbox', async (ids: readonly number[], at: Date, reason: string) => {
      await update(
        // An earlier failure's error stays: it is what an operator looking at the row needs.
        `UPDATE outbox SET status = 'pending', due_at = $2, last_error = COALESCE(last_error, $3), claimed_by = NULL, lease_until = NULL
         WHERE ${IN_IDS}`,
        [ids, at, reason],
      );
    }),
    parkOutbox: guard('parkOutbox', async (ids: readonly number[], reason: string, channelId: string) => {
      await update(
        `UPDATE outbox SET status = 'parked', last_error = $2, parked_channel_id = $3, parked_at = $4, lease_until = NULL,
           in_flight_since = NULL
         WHERE ${IN_IDS}`,
        [ids, reason, channelId, now()],
      );
    }),
    waitForLink: guard('waitForLink', (ids: readonly number[]) => waits.submit(ids)),
    releaseWaiting: guard('releaseWaiting', (number: string) => releaseWaitingOf([number])),
    releaseLinkedWaiting: guard('releaseLinkedWaiting', async (since: Date) => {
      const { rows } = await pool.query<{ number: string }>('SELECT number FROM links WHERE created_at >= $1', [since]);
      if (rows.length === 0) return 0;
      const released = await releaseWaitingOf(rows.map((row) => row.number));
      return released.texts + released.others;
    }),
    releaseParked: guard('releaseParked', (channelId: string, number?: string) =>
      release(
        `UPDATE outbox SET status = 'pending', due_at = $1, queued_at = $1, parked_channel_id = NULL, parked_at = NULL
         WHERE status = 'parked' AND (parked_channel_id = $2 OR split_part(key, '|', 1) = $3)`,
        [now(), channelId, number === undefined || number === ANY_NUMBER ? null : number],
      ),
    ),
    outboxStats: guard('outboxStats', async () => {
      const { rows } = await pool.query<{ pending: number; waiting: number; parked: number; oldest: Date | null }>(
        // One subquery per partial index: the done rows kept until prune are never read.
        `SELECT
           (SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed'))::int AS pending,
           (SELECT count(*) FROM outbox WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'waiting')::int AS waiting,
           (SELECT count(*) FROM outbox WHERE status = 'parked')::int AS parked,
           (SELECT min(COALESCE(o.queued_at, o.created_at)) FROM outbox o WHERE o.status IN ('pending', 'claimed')
             AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.key = o.key AND q.status = 'parked' AND q.id < o.id)) AS oldest`,
      );
      const row = rows[0];
      return { pending: row?.pending ?? 0, waiting: row?.waiting ?? 0, parked: row?.parked ?? 0, oldestQueuedAt: row?.oldest ?? undefined };
    }),
    parkedFor: guard('parkedFor', async (channelIds: readonly string[]) => {
      if (channelIds.length === 0) return [];
      const { rows } = await pool.query<{ channelId: string; count: number; reason: string | null }>(
        `SELECT parked_channel_id AS "channelId", count(*)::int AS count,
           (array_agg(last_error ORDER BY parked_at DESC, id DESC))[1] AS reason
         FROM outbox WHERE status = 'parked' AND parked_channel_id = ANY($1::text[])
         GROUP BY parked_channel_id ORDER BY parked_channel_id COLLATE "C"`,
        [channelIds],
      );
      return rows.map((r) => ({ ...r, reason: r.reason ?? '' }));
    }),
    flushOutbox: waits.flush,
    pruneOutbox: guard('prune', () =>
      update(`DELETE FROM outbox WHERE status = 'done' AND completed_at <= $1`, [new Date(now().getTime() - DONE_OUTBOX_RETENTION_MS)]),
    ),
  };
};
