import type { Database } from 'better-sqlite3';
import type { OutboxTask } from '../relay.js';

/** `waiting` when the thread (`@key`) already waits for a link, else `pending`. */
export const STATUS_FOR_NEW_ROW = `CASE WHEN EXISTS (SELECT 1 FROM outbox w
    WHERE w.key = @key AND w.status IN ('pending', 'claimed', 'waiting') AND w.status = 'waiting') THEN 'waiting' ELSE 'pending' END`;

/** Adds an outbox row, due at once; called inside the transaction of the write that causes it. */
export type SqliteEnqueue = (key: string, task: OutboxTask, at: number) => void;

// SQLite has one writer at a time, so ids are handed out in commit order: a key's rows become
// visible in id order, which is the order the worker delivers them in.
export const createSqliteEnqueue = (db: Database): SqliteEnqueue => {
  // A row for a thread that waits for a link waits with it (see waitForLink).
  const insert = db.prepare<[{ key: string; task: string; at: number }]>(`
    INSERT INTO outbox (key, task, status, attempts, due_at, created_at)
    VALUES (@key, @task, ${STATUS_FOR_NEW_ROW}, 0, @at, @at)`);
  return (key, task, at) => {
    insert.run({ key, task: JSON.stringify(task), at });
  };
};
