import type { Database } from 'better-sqlite3';
import { guard } from '../errors.js';
import type { CustomerStore, ThreadRecord } from '../relay.js';
import { THREAD_COLUMNS as COLUMNS, fromEpochMs, threadMapper, type ThreadRow } from '../rows.js';

const toRecord = threadMapper(fromEpochMs);

export const createSqliteCustomers = (db: Database): CustomerStore => {
  const get = db.prepare<[string, string, string], ThreadRow<number>>(
    `SELECT ${COLUMNS} FROM threads WHERE channel_id = ? AND our_number = ? AND customer_number = ?`,
  );
  const byConversation = db.prepare<[string], ThreadRow<number>>(`SELECT ${COLUMNS} FROM threads WHERE conversation_id = ? LIMIT 1`);
  const insert = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO threads (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  // The newest change by the customer's own clock wins, whatever order the pushes arrive in.
  const setOptOut = db.prepare<[string, number, number]>(`
    INSERT INTO opt_outs (customer_number, opted_out, changed_at) VALUES (?, ?, ?)
    ON CONFLICT (customer_number) DO UPDATE SET opted_out = excluded.opted_out, changed_at = excluded.changed_at
    WHERE opt_outs.changed_at <= excluded.changed_at`);
  const optedOut = db.prepare<[string], { opted_out: number }>('SELECT opted_out FROM opt_outs WHERE customer_number = ?');

  const thread = (channelId: string, ourNumber: string, customerNumber: string) => {
    const row = get.get(channelId, ourNumber, customerNumber);
    return row && toRecord(row);
  };

  return {
    getThread: guard('getThread', thread),
    getThreadByConversation: guard('getThreadByConversation', (conversationId: string) => {
      const row = byConversation.get(conversationId);
      return row && toRecord(row);
    }),
    // Insert-or-nothing, then read: whoever lost a race gets the winner's thread.
    saveThread: guard('saveThread', (t: ThreadRecord) => {
      insert.run(t.channelId, t.ourNumber, t.customerNumber, t.conversationId, t.rootMessageId, t.createdAt.getTime());
      const saved = thread(t.channelId, t.ourNumber, t.customerNumber);
      if (!saved) throw new Error('the thread vanished right after it was saved');
      return saved;
    }),
    setOptOut: guard('setOptOut', (customerNumber: string, isOut: boolean, at: Date) => {
      setOptOut.run(customerNumber, isOut ? 1 : 0, at.getTime());
    }),
    isOptedOut: guard('isOptedOut', (customerNumber: string) => optedOut.get(customerNumber)?.opted_out === 1),
  };
};
