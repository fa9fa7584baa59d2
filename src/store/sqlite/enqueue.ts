import type { Database } from 'better-sqlite3';
import type { OutboxTask } from '../relay.js';

/** Adds an outbox row, due at once; called inside the transaction of the write that causes it. */
export type SqliteEnqueue = (key: string, task: OutboxTask, at: number) => void;

// SQLite has one writer at a time, so ids are handed out in commit order: a key's rows become
// visible in id order, which is the order the worker delivers them in.
export const createSqliteEnqueue = (db: Database): SqliteEnqueue => {
  const insert = db.prepare<[string, string, number, number]>(
    `INSERT INTO outbox (key, task, status, attempts, due_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)`,
  );
  return (key, task, at) => {
    insert.run(key, JSON.stringify(task), at, at);
  };
};
