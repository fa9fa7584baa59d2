import type { Database } from 'better-sqlite3';
import { ANY_NUMBER, type OutboxTask } from '../relay.js';

/** `waiting` when the thread (`@key`) already waits for a link, else `pending`. */
export const STATUS_FOR_NEW_ROW = `CASE WHEN EXISTS (SELECT 1 FROM outbox w
    WHERE w.key = @key AND w.status IN ('pending', 'claimed', 'waiting') AND w.status = 'waiting') THEN 'waiting' ELSE 'pending' END`;

/**
 * For an inbound SMS to our number `@number`: also `waiting` when no channel is linked to the
 * number (nor to every number), so that the worker never claims a text it has nowhere to post.
 * Linking is a write transaction too, so either it committed first (and the text is `pending`)
 * or it releases the text afterwards (`releaseWaiting`). Two lookups of the key rather than
 * `number IN (...)`, which builds a table per row.
 */
export const STATUS_FOR_NEW_INBOUND = `CASE WHEN NOT EXISTS (SELECT 1 FROM links WHERE number = @number)
    AND NOT EXISTS (SELECT 1 FROM links WHERE number = '${ANY_NUMBER}') THEN 'waiting' ELSE ${STATUS_FOR_NEW_ROW} END`;

/** Adds an outbox row, due at once; called inside the transaction of the write that causes it. */
export type SqliteEnqueue = (key: string, task: OutboxTask, at: number) => void;

/** The number of ours in a thread key (`ourNumber|customerNumber`, see threadKey). */
const ourNumberOf = (key: string): string => key.slice(0, key.indexOf('|'));

// SQLite has one writer at a time, so ids are handed out in commit order: a key's rows become
// visible in id order, which is the order the worker delivers them in.
export const createSqliteEnqueue = (db: Database): SqliteEnqueue => {
  const columns = 'INSERT INTO outbox (key, task, status, attempts, due_at, created_at)';
  // A row for a thread that waits for a link waits with it (see waitForLink).
  const insert = db.prepare<[{ key: string; task: string; at: number }]>(`${columns} VALUES (@key, @task, ${STATUS_FOR_NEW_ROW}, 0, @at, @at)`);
  const insertInbound = db.prepare<[{ key: string; number: string; task: string; at: number }]>(
    `${columns} VALUES (@key, @task, ${STATUS_FOR_NEW_INBOUND}, 0, @at, @at)`,
  );
  return (key, task, at) => {
    if (task.kind === 'inbound') insertInbound.run({ key, number: ourNumberOf(key), task: JSON.stringify(task), at });
    else insert.run({ key, task: JSON.stringify(task), at });
  };
};
