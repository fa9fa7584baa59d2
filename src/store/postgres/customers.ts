import type { Pool } from 'pg';
import { guard } from '../errors.js';
import type { RelayStore, ThreadRecord } from '../relay.js';

/** What the store keeps per customer: their thread in each channel, and whether they opted out. */
export type CustomerStore = Pick<RelayStore, 'getThread' | 'getThreadByConversation' | 'saveThread' | 'setOptOut' | 'isOptedOut'>;

interface ThreadRow {
  channel_id: string;
  our_number: string;
  customer_number: string;
  conversation_id: string;
  root_message_id: string;
  created_at: Date;
}

const COLUMNS = 'channel_id, our_number, customer_number, conversation_id, root_message_id, created_at';

const toRecord = (row: ThreadRow): ThreadRecord => ({
  channelId: row.channel_id,
  ourNumber: row.our_number,
  customerNumber: row.customer_number,
  conversationId: row.conversation_id,
  rootMessageId: row.root_message_id,
  createdAt: row.created_at,
});

// The newest change by the customer's own clock wins, whatever order the pushes arrive in.
const SET_OPT_OUT = `
  INSERT INTO opt_outs (customer_number, opted_out, changed_at) VALUES ($1, $2, $3)
  ON CONFLICT (customer_number) DO UPDATE SET opted_out = EXCLUDED.opted_out, changed_at = EXCLUDED.changed_at
  WHERE opt_outs.changed_at <= EXCLUDED.changed_at`;

export const createPostgresCustomers = (pool: Pool): CustomerStore => {
  const thread = async (channelId: string, ourNumber: string, customerNumber: string) => {
    const { rows } = await pool.query<ThreadRow>(
      `SELECT ${COLUMNS} FROM threads WHERE channel_id = $1 AND our_number = $2 AND customer_number = $3`,
      [channelId, ourNumber, customerNumber],
    );
    const row = rows[0];
    return row && toRecord(row);
  };

  return {
    getThread: guard('getThread', thread),
    getThreadByConversation: guard('getThreadByConversation', async (conversationId: string) => {
      const { rows } = await pool.query<ThreadRow>(`SELECT ${COLUMNS} FROM threads WHERE conversation_id = $1 LIMIT 1`, [conversationId]);
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
