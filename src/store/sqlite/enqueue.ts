import type { Database } from 'better-sqlite3';
import { statusForNewInbound, statusForNewRow } from '../outbox-rows.js';
import { threadKey, type OutboxTask } from '../relay.js';

/**
 * Adds an outbox row for the thread of our number and a customer, due at once; called inside the
 * transaction of the write that causes it. Linking is a write transaction too, so an inbound SMS
 * either sees its number's link (and is `pending`) or is released by it afterwards.
 */
export type SqliteEnqueue = (ourNumber: string, customerNumber: string, task: OutboxTask, at: number) => void;

// SQLite has one writer at a time, so ids are handed out in commit order: a key's rows become
// visible in id order, which is the order the worker delivers them in.
export const createSqliteEnqueue = (db: Database): SqliteEnqueue => {
  const columns = 'INSERT INTO outbox (key, task, status, attempts, due_at, created_at)';
  const insert = db.prepare<[{ key: string; task: string; at: number }]>(`${columns} VALUES (@key, @task, ${statusForNewRow('@key')}, 0, @at, @at)`);
  const insertInbound = db.prepare<[{ key: string; number: string; task: string; at: number }]>(
    `${columns} VALUES (@key, @task, ${statusForNewInbound('@key', '@number')}, 0, @at, @at)`,
  );
  return (ourNumber, customerNumber, task, at) => {
    const row = { key: threadKey(ourNumber, customerNumber), task: JSON.stringify(task), at };
    if (task.kind === 'inbound') insertInbound.run({ ...row, number: ourNumber });
    else insert.run(row);
  };
};
