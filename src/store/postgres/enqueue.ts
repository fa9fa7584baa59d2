import type { PoolClient } from 'pg';
import { ANY_NUMBER, type OutboxTask } from '../relay.js';

// The first key of pg_advisory_xact_lock(int, int): "outb" as an int4, apart from the
// migration lock's namespace; the second is a hash of the outbox key.
export const KEY_LOCK_NAMESPACE = 0x6f757462;

/**
 * `waiting` when the thread (`key`, an SQL expression) already waits for a link, else
 * `pending`: a row for a thread that waits waits with it (see waitForLink). Under the key's
 * lock, so that no row of the thread is queued meanwhile.
 */
export const statusForNewRow = (key: string): string => `CASE WHEN EXISTS (SELECT 1 FROM outbox w
    WHERE w.key = ${key} AND w.status IN ('pending', 'claimed', 'waiting') AND w.status = 'waiting') THEN 'waiting' ELSE 'pending' END`;

/**
 * For an inbound SMS to our number (`number`, an SQL expression): also `waiting` when no
 * channel is linked to it (nor to every number), so that no worker claims a text it has
 * nowhere to post. A link committed after this statement's snapshot releases it afterwards
 * (`releaseWaiting`, or the sweep of `releaseLinkedWaiting` if this commits later still).
 */
export const statusForNewInbound = (key: string, number: string): string =>
  `CASE WHEN NOT EXISTS (SELECT 1 FROM links WHERE number IN (${number}, '${ANY_NUMBER}')) THEN 'waiting' ELSE ${statusForNewRow(key)} END`;

/**
 * Adds an outbox row, due at once, inside the caller's transaction. Identity values are handed
 * out at insert time, not at commit, so two transactions queueing for one key could commit
 * their ids out of order and a worker could deliver the higher id first. The transaction lock
 * on the key makes the second wait until the first commits, so a key's rows become visible in
 * id order.
 */
export const enqueuePostgres = async (client: PoolClient, key: string, task: OutboxTask, at: Date): Promise<void> => {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [KEY_LOCK_NAMESPACE, key]);
  await client.query(
    `INSERT INTO outbox (key, task, status, attempts, due_at, created_at) VALUES ($1, $2::jsonb, ${statusForNewRow('$1')}, 0, $3, $3)`,
    [key, JSON.stringify(task), at],
  );
};
