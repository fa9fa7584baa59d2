import type { Pool } from 'pg';
import type { InboundSms } from '../relay.js';
import { statusForNewInbound } from '../outbox-rows.js';
import { KEY_LOCK_NAMESPACE } from './enqueue.js';

export type InboundOutcome = 'stored' | 'duplicate';

// The pushes of one turn in one statement, so one round trip and one commit for all of them
// (four round trips each, BEGIN to COMMIT, kept a pushing bridge waiting on the database).
// Locks are taken in one order by everyone, so that two instances never wait on each other:
// the inbound rows by message id (a concurrent duplicate waits on the unique index for the
// first insert's commit, then does nothing), then the keys' transaction locks by their hash
// (see enqueuePostgres; volatile outputs are computed after the sort). A key's rows are
// inserted in the order of its pushes, so its ids follow them.
const ACCEPT_INBOUND = `
  WITH batch AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
      WITH ORDINALITY AS b (message_id, from_number, to_number, body, sent_at, original_message_id, original_body, custom_string, ord)
  ), firsts AS (
    SELECT DISTINCT ON (message_id) * FROM batch ORDER BY message_id, ord
  ), stored AS (
    INSERT INTO inbound (message_id, from_number, to_number, body, sent_at, original_message_id, original_body, custom_string, received_at)
    SELECT message_id, from_number, to_number, body, sent_at, original_message_id, original_body, custom_string, $9
    FROM firsts ORDER BY message_id
    ON CONFLICT (message_id) DO NOTHING
    RETURNING message_id
  ), locked AS (
    SELECT key, to_number, message_id, pg_advisory_xact_lock(${KEY_LOCK_NAMESPACE}, hashtext(key)) AS locked
    FROM (SELECT f.to_number || '|' || f.from_number AS key, f.to_number, f.message_id, f.ord FROM stored JOIN firsts f USING (message_id)) AS q
    ORDER BY hashtext(key), ord
  )
  INSERT INTO outbox (key, task, status, attempts, due_at, created_at)
  SELECT key, jsonb_build_object('kind', 'inbound', 'messageId', message_id), ${statusForNewInbound('locked.key', 'locked.to_number')}, 0, $9, $9 FROM locked
  RETURNING task->>'messageId' AS message_id`;

/**
 * Stores the inbound SMS of one batch and queues an outbox row for each stored one, atomically
 * (one statement is one transaction). Returns one outcome per SMS, in order: the first push
 * of a message is `stored` unless it was stored before, every other one is a `duplicate`.
 */
export const acceptInboundBatch = async (pool: Pool, batch: readonly InboundSms[], at: Date): Promise<InboundOutcome[]> => {
  const column = <T>(pick: (sms: InboundSms) => T) => batch.map(pick);
  const values = [
    column((s) => s.messageId),
    column((s) => s.from),
    column((s) => s.to),
    column((s) => s.body),
    column((s) => s.sentAt),
    column((s) => s.originalMessageId ?? null),
    column((s) => s.originalBody ?? null),
    column((s) => s.customString ?? null),
    at,
  ];
  // Named, so that each connection parses and plans it once.
  const { rows } = await pool.query<{ message_id: string }>({ name: 'accept-inbound', text: ACCEPT_INBOUND, values });
  const stored = new Set(rows.map((row) => row.message_id));
  return batch.map((sms) => (stored.delete(sms.messageId) ? 'stored' : 'duplicate'));
};

