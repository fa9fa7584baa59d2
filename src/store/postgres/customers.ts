import type { Pool } from 'pg';
import { guard } from '../errors.js';
import type { CustomerStore, ThreadRecord } from '../relay.js';
import { THREAD_COLUMNS as COLUMNS, asIs, threadMapper, type ThreadRow } from '../rows.js';

const toRecord = threadMapper<Date>(asIs);

// The newest change by the customer's own clock wins, whatever order the pushes arrive in.
const SET_OPT_OUT = `
  INSERT INTO opt_outs (customer_number, opted_out, changed_at) VALUES ($1, $2, $3)
  ON CONFLICT (customer_number) DO UPDATE SET opted_out = EXCLUDED.opted_out, changed_at = EXCLUDED.changed_at
  WHERE opt_outs.changed_at <= EXCLUDED.changed_at`;

export const createPostgresCustomers = (pool: Pool): CustomerStore => {
  const thread = async (channelId: string, ourNumber: string, customerNumber: string) => {
    const { rows } = await pool.query<ThreadRow<Date>>(
      `SELECT ${COLUMNS} FROM threads WHERE channel_id = $1 AND our_number = $2 AND customer_number = $3`,
      [channelId, ourNumber, customerNumber],
    );
    const row = rows[0];
    return row && toRecord(row);
  };

  return {
    getThread: guard('getThread', thread),
    getThreadByConversation: guard('getThreadByConversation', async (conversationId: string) => {
      const { rows } = await pool.query<ThreadRow<Date>>(`SELECT ${COLUMNS} FROM threads WHERE conversation_id = $1 LIMIT 1`, [conversationId]);
      const row = rows[0];
      return row && toRecord(row);
    }),
    // A racing creator's INSERT waits for the first one's commit and then does nothing; the
    // SELECT after it (a new snapshot) reads the winner's thread.
    saveThread: guard('saveThread', async (t: ThreadRecord) => {
      await pool.query(`INSERT INTO threads (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
        t.channelId,
        t.ourNumber,
        t.customerNumber,
        t.conversationId,
        t.rootMessageId,
        t.createdAt,
      ]);
      const saved = await thread(t.channelId, t.ourNumber, t.customerNumber);
      if (!saved) throw new Error('the thread vanished right after it was saved');
      return saved;
    }),
    setOptOut: guard('setOptOut', async (customerNumber: string, optedOut: boolean, at: Date) => {
      await pool.query(SET_OPT_OUT, [customerNumber, optedOut, at]);
    }),
    isOptedOut: guard('isOptedOut', async (customerNumber: string) => {
      const { rows } = await pool.query<{ opted_out: boolean }>('SELECT opted_out FROM opt_outs WHERE customer_number = $1', [customerNumber]);
      return rows[0]?.opted_out === true;
    }),
  };
};
