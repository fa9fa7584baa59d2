import type { Database } from 'better-sqlite3';
import { guard } from '../errors.js';
import { OUTBOX_ROW_COLUMNS, byId, inboundRun, toOutboxRow, verifyClaim, type FollowerColumns, type OutboxRowColumns } from '../outbox-rows.js';
import { ANY_NUMBER, DONE_OUTBOX_RETENTION_MS, type OutboxRow, type OutboxStatus, type OutboxStore, type ReleasedRows } from '../relay.js';
import type { Clock } from '../store.js';

export interface SqliteOutbox extends OutboxStore {
  /** Deletes done rows older than the retention; returns how many. */
  pruneOutbox(): Promise<number>;
}

interface Claim {
  worker: string;
  now: number;
  until: number;
}

// A key's head is its lowest unfinished row; it is claimable when due, not leased (or its lease
// has ended) and no other row of its key is leased (rows taken by claimFollowing). The
// repeated `status IN (...)` is the partial indexes' condition, so that the planner uses them.
const CLAIM = `
  UPDATE outbox SET status = 'claimed', claimed_by = @worker, lease_until = @until,
    attempts = attempts + (status = 'claimed')
  WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.status IN ('pending', 'claimed') AND o.due_at <= @now
      AND (o.status = 'pending' OR o.lease_until <= @now)
      AND NOT EXISTS (SELECT 1 FROM outbox p
        WHERE p.key = o.key AND p.status IN ('pending', 'claimed', 'waiting') AND p.id < o.id)
      AND NOT EXISTS (SELECT 1 FROM outbox c
        WHERE c.key = o.key AND c.status IN ('pending', 'claimed', 'waiting') AND c.status = 'claimed' AND c.lease_until > @now)
      AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.key = o.key AND q.status = 'parked' AND q.id < o.id)
    ORDER BY o.due_at, o.id
    LIMIT @limit)
  RETURNING ${OUTBOX_ROW_COLUMNS}`;

const ids = (list: readonly number[]): string => JSON.stringify(list);

/** What each released row was for, as the release statements return it. */
const RELEASED_KIND = `RETURNING json_extract(task, '$.kind') AS kind`;
const tally = (rows: readonly { kind: string }[]): ReleasedRows => {
  const texts = rows.filter((row) => row.kind === 'inbound').length;
  return { texts, others: rows.length - texts };
};
const IN_IDS = `id IN (SELECT value FROM json_each(@ids)) AND status IN ('pending', 'claimed', 'waiting')`;

/**
 * Every claim runs in a `BEGIN IMMEDIATE` transaction: it takes the file's write lock before
 * reading, so a second connection (another process on the same file) waits for it and then
 * sees its claims. Inside one process better-sqlite3 is synchronous, so nothing interleaves.
 */
export const createSqliteOutbox = (db: Database, now: Clock): SqliteOutbox => {
  const claim = db.prepare<[Claim & { limit: number }], OutboxRowColumns>(CLAIM);
  const holder = db.prepare<[number], { status: OutboxStatus; claimed_by: string | null; key: string }>(
    'SELECT status, claimed_by, key FROM outbox WHERE id = ?',
  );
  const behind = db.prepare<[string, number, number], FollowerColumns>(`
    SELECT ${OUTBOX_ROW_COLUMNS}, status, due_at, lease_until FROM outbox
    WHERE key = ? AND status IN ('pending', 'claimed', 'waiting') AND id > ?
    ORDER BY id LIMIT ?`);
  const take = db.prepare<[Claim & { ids: string }], OutboxRowColumns>(`
    UPDATE outbox SET status = 'claimed', claimed_by = @worker, lease_until = @until,
      attempts = attempts + (status = 'claimed')
    WHERE ${IN_IDS}
    RETURNING ${OUTBOX_ROW_COLUMNS}`);
  const renew = db.prepare<[number, number]>('UPDATE outbox SET lease_until = ? WHERE id = ?');
  const complete = db.prepare(`UPDATE outbox SET status = 'done', lease_until = NULL, completed_at = @now WHERE ${IN_IDS}`);
  // A refusal means Teams took nothing; a lost answer leaves the row marked as maybe posted.
  const retry = db.prepare(`
    UPDATE outbox SET status = 'pending', attempts = attempts + 1, due_at = @at, last_error = @error,
      claimed_by = NULL, lease_until = NULL, in_flight_since = CASE WHEN @refused THEN NULL ELSE in_flight_since END
    WHERE ${IN_IDS}`);
  const held = `id IN (SELECT value FROM json_each(@ids)) AND status = 'claimed' AND claimed_by = @worker`;
  const startAttempt = db.prepare(`UPDATE outbox SET in_flight_since = COALESCE(in_flight_since, @now) WHERE ${held}`);
  const renewHeld = db.prepare(`UPDATE outbox SET lease_until = @until WHERE ${held}`);
  const releaseHeld = db.prepare(`
    UPDATE outbox SET status = 'pending', due_at = @now, claimed_by = NULL, lease_until = NULL
    WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'claimed'
      AND substr(claimed_by, 1, length(@prefix)) = @prefix AND claimed_by <> @except`);
  // An earlier failure's error stays: it is what an operator looking at the row needs.
  const defer = db.prepare(`
    UPDATE outbox SET status = 'pending', due_at = @at, last_error = COALESCE(last_error, @error), claimed_by = NULL, lease_until = NULL
    WHERE ${IN_IDS}`);
  const park = db.prepare(`
    UPDATE outbox SET status = 'parked', last_error = @reason, parked_channel_id = @channelId, parked_at = @now,
      lease_until = NULL, in_flight_since = NULL
    WHERE ${IN_IDS}`);
  const wait = db.prepare(`UPDATE outbox SET status = 'waiting', claimed_by = NULL, lease_until = NULL WHERE ${IN_IDS}`);
  // The rows queued behind them wait too: otherwise every claim would walk past them again.
  const waitBehind = db.prepare(`
    UPDATE outbox SET status = 'waiting'
    WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'pending'
      AND key IN (SELECT key FROM outbox WHERE id IN (SELECT value FROM json_each(@ids)) AND status = 'waiting')`);
  const waitForLink = db.transaction((list: string) => {
    wait.run({ ids: list });
    waitBehind.run({ ids: list });
  });
  const releaseAll = db.prepare<[{ at: number }], { kind: string }>(
    `UPDATE outbox SET status = 'pending', due_at = @at, queued_at = @at WHERE status = 'waiting' ${RELEASED_KIND}`,
  );
  // A thread key is `ourNumber|customer`: the keys of one number are the range [number|, number})
  // in SQLite's byte order ('|' is 0x7C, '}' 0x7D), read through the open rows' index.
  const releaseNumber = db.prepare<[{ at: number; from: string; to: string }], { kind: string }>(`
    UPDATE outbox SET status = 'pending', due_at = @at, queued_at = @at
    WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'waiting' AND key >= @from AND key < @to
    ${RELEASED_KIND}`);
  const releaseFor = (at: number, number: string): { kind: string }[] =>
    number === ANY_NUMBER ? releaseAll.all({ at }) : releaseNumber.all({ at, from: `${number}|`, to: `${number}}` });
  const linkedNumbers = db.prepare<[number], { number: string }>('SELECT number FROM links WHERE created_at >= ?');
  const releaseLinked = db.transaction((at: number, since: number): number =>
    linkedNumbers.all(since).reduce((sum, { number }) => sum + releaseFor(at, number).length, 0),
  );
  const releaseParked = db.prepare<[{ at: number; channelId: string; from: string | null; to: string | null }], { kind: string }>(
    `UPDATE outbox SET status = 'pending', due_at = @at, queued_at = @at, parked_channel_id = NULL, parked_at = NULL
     WHERE status = 'parked' AND (parked_channel_id = @channelId OR (key >= @from AND key < @to))
     ${RELEASED_KIND}`,
  );
  // One subquery per partial index (a scan of the whole table, done rows and all, took 20 ms
  // with a day's worth of them: /readyz and every scrape run this).
  const stats = db.prepare<[], { pending: number; waiting: number; parked: number; oldest: number | null }>(`
    SELECT
      (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'claimed')) AS pending,
      (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'claimed', 'waiting') AND status = 'waiting') AS waiting,
      (SELECT COUNT(*) FROM outbox WHERE status = 'parked') AS parked,
      (SELECT MIN(COALESCE(o.queued_at, o.created_at)) FROM outbox o WHERE o.status IN ('pending', 'claimed')
        AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.key = o.key AND q.status = 'parked' AND q.id < o.id)) AS oldest`);
  const parked = db.prepare<[string], { channelId: string; count: number; reason: string | null }>(`
    SELECT channelId, count, reason FROM (
      SELECT parked_channel_id AS channelId, last_error AS reason,
        COUNT(*) OVER (PARTITION BY parked_channel_id) AS count,
        ROW_NUMBER() OVER (PARTITION BY parked_channel_id ORDER BY parked_at DESC, id DESC) AS latest
      FROM outbox
      WHERE status = 'parked' AND parked_channel_id IN (SELECT value FROM json_each(?)))
    WHERE latest = 1 ORDER BY channelId`);
  const prune = db.prepare<[number]>(`DELETE FROM outbox WHERE status = 'done' AND completed_at <= ?`);

  const claimOutbox = db.transaction((args: Claim & { limit: number }) => claim.all(args).map(toOutboxRow).sort(byId));

  const claimFollowing = db.transaction((row: OutboxRow, args: Claim & { limit: number }): OutboxRow[] => {
    const head = holder.get(row.id);
    if (head?.status !== 'claimed' || head.claimed_by !== args.worker) return [];
    const following = inboundRun(behind.all(head.key, row.id, args.limit), args.now);
    if (following.length === 0) return [];
    // The head's lease is renewed with theirs, so that the digest's rows expire together.
    renew.run(args.until, row.id);
    return take.all({ ...args, ids: ids(following) }).map(toOutboxRow).sort(byId);
  });

  const claimArgs = (worker: string, limit: number, leaseMs: number) => {
    verifyClaim(limit, leaseMs);
    const at = now().getTime();
    return { worker, now: at, until: at + leaseMs, limit };
  };

  return {
    claimOutbox: guard('claimOutbox', (worker: string, limit: number, leaseMs: number) =>
      limit === 0 ? [] : claimOutbox.immediate(claimArgs(worker, limit, leaseMs)),
    ),
    claimFollowing: guard('claimFollowing', (row: OutboxRow, worker: string, limit: number, leaseMs: number) =>
      limit === 0 ? [] : claimFollowing.immediate(row, claimArgs(worker, limit, leaseMs)),
    ),
    completeOutbox: guard('completeOutbox', (list: readonly number[]) => {
      complete.run({ ids: ids(list), now: now().getTime() });
    }),
    retryOutbox: guard('retryOutbox', (list: readonly number[], at: Date, error: string, outcome: 'refused' | 'unknown' = 'refused') => {
      retry.run({ ids: ids(list), at: at.getTime(), error, refused: outcome === 'refused' ? 1 : 0 });
    }),
    startOutboxAttempt: guard('startOutboxAttempt', (list: readonly number[], worker: string) =>
      list.length === 0 ? 0 : startAttempt.run({ ids: ids(list), worker, now: now().getTime() }).changes,
    ),
    renewOutbox: guard('renewOutbox', (list: readonly number[], worker: string, leaseMs: number) => {
      verifyClaim(0, leaseMs);
      return list.length === 0 ? 0 : renewHeld.run({ ids: ids(list), worker, until: now().getTime() + leaseMs }).changes;
    }),
    releaseOutboxClaims: guard('releaseOutboxClaims', (instance: string, except: string) =>
      releaseHeld.run({ prefix: `${instance}:`, except, now: now().getTime() }).changes,
    ),
    deferOutbox: guard('deferOutbox', (list: readonly number[], at: Date, reason: string) => {
      defer.run({ ids: ids(list), at: at.getTime(), error: reason });
    }),
    parkOutbox: guard('parkOutbox', (list: readonly number[], reason: string, channelId: string) => {
      park.run({ ids: ids(list), reason, channelId, now: now().getTime() });
    }),
    waitForLink: guard('waitForLink', (list: readonly number[]) => waitForLink.immediate(ids(list))),
    releaseWaiting: guard('releaseWaiting', (number: string) => tally(releaseFor(now().getTime(), number))),
    releaseLinkedWaiting: guard('releaseLinkedWaiting', (since: Date) => releaseLinked.immediate(now().getTime(), since.getTime())),
    releaseParked: guard('releaseParked', (channelId: string, number?: string) => {
      const range = number === undefined || number === ANY_NUMBER ? { from: null, to: null } : { from: `${number}|`, to: `${number}}` };
      return tally(releaseParked.all({ at: now().getTime(), channelId, ...range }));
    }),
    outboxStats: guard('outboxStats', () => {
      const row = stats.get();
      return {
        pending: row?.pending ?? 0,
        waiting: row?.waiting ?? 0,
        parked: row?.parked ?? 0,
        oldestQueuedAt: typeof row?.oldest === 'number' ? new Date(row.oldest) : undefined,
      };
    }),
    parkedFor: guard('parkedFor', (channelIds: readonly string[]) =>
      channelIds.length === 0 ? [] : parked.all(JSON.stringify(channelIds)).map((r) => ({ ...r, reason: r.reason ?? '' })),
    ),
    pruneOutbox: guard('prune', () => prune.run(now().getTime() - DONE_OUTBOX_RETENTION_MS).changes),
  };
};
