import type { PoolClient } from 'pg';
import { statusForNewRow } from '../outbox-rows.js';
import type { OutboxTask } from '../relay.js';

// The first key of pg_advisory_xact_lock(int, int): "outb" as an int4, apart from the
// migration lock's namespace; the second is a hash of the outbox key.
export const KEY_LOCK_NAMESPACE = 0x6f757462;

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
