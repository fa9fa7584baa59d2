import type { Pool, PoolClient } from 'pg';
import { guard } from '../errors.js';
import type { DeliveryReceipt, OutboundStatus } from '../relay.js';
import { asIs } from '../rows.js';
import {
  RECEIPT_CHANGES,
  SEND_COLUMNS,
  SEND_MESSAGE_COLUMNS,
  SEND_UPDATE_COALESCE_MS,
  currencyJson,
  placeJson,
  priceText,
  sendRecordOf,
  type SendMessageRow,
  type SendRow,
} from '../send-rows.js';
import { sendKey, type SendRecord, type SendStore } from '../sends.js';
import type { Clock } from '../store.js';
import { KEY_LOCK_NAMESPACE } from './enqueue.js';
import { withTransaction } from './transaction.js';

/**
 * One update waiting per card: receipts that come while it waits are shown by it. The key's
 * lock serialises two receipts of one send, so that both cannot find no update waiting. The
 * waiting update is locked until this receipt commits: a worker claiming it meanwhile passes it
 * over (SKIP LOCKED) rather than draw the card without this receipt, and nothing would follow.
 */
const queueUpdate = async (client: PoolClient, sendId: string, at: Date, delayMs: number): Promise<void> => {
  const key = sendKey(sendId);
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [KEY_LOCK_NAMESPACE, key]);
  const waiting = await client.query(
    `SELECT id FROM outbox WHERE key = $1 AND status IN ('pending', 'claimed', 'waiting') AND status = 'pending' FOR UPDATE`,
    [key],
  );
  if (waiting.rowCount) return;
  await client.query(`INSERT INTO outbox (key, task, status, attempts, due_at, created_at) VALUES ($1, $2::jsonb, 'pending', 0, $3, $4)`, [
    key,
    JSON.stringify({ kind: 'send-update', sendId }),
    new Date(at.getTime() + delayMs),
    at,
  ]);
};

export const createPostgresSends = (pool: Pool, now: Clock): SendStore => {
  const toRecord = sendRecordOf<Date>(asIs);
  return {
    recordSend: guard('recordSend', (send: SendRecord) =>
      withTransaction(pool, async (client) => {
        const inserted = await client.query(
          `INSERT INTO sends (${SEND_COLUMNS}) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9::jsonb, $10) ON CONFLICT (id) DO NOTHING`,
          [send.id, send.kind, placeJson(send.place), send.cardActivityId ?? null, send.sentBy, String(send.totalPrice), currencyJson(send.currency), send.retryOf ?? null, send.request ? JSON.stringify(send.request) : null, send.createdAt],
        );
        if (inserted.rowCount === 0 || send.messages.length === 0) return;
        // One statement for every message of a send (a list send has thousands).
        await client.query(
          `INSERT INTO send_messages (send_id, position, ${SEND_MESSAGE_COLUMNS}, status_at)
           SELECT $1, m.position - 1, m.message_id, m.recipient, m.sender, m.status, m.status_text, m.units, m.price, $2
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
             WITH ORDINALITY AS m (message_id, recipient, sender, status, status_text, units, price, position)
           ON CONFLICT (message_id) DO NOTHING`,
          [
            send.id,
            send.createdAt,
            send.messages.map((m) => m.messageId),
            send.messages.map((m) => m.recipient),
            send.messages.map((m) => m.sender ?? null),
            send.messages.map((m) => m.status),
            send.messages.map((m) => m.statusText ?? null),
            send.messages.map((m) => m.units ?? null),
            send.messages.map((m) => priceText(m.price)),
          ],
        );
      }),
    ),
    getSend: guard('getSend', async (id: string) => {
      const { rows } = await pool.query<SendRow<Date>>(`SELECT ${SEND_COLUMNS} FROM sends WHERE id = $1`, [id]);
      const row = rows[0];
      if (!row) return undefined;
      const messages = await pool.query<SendMessageRow>(`SELECT ${SEND_MESSAGE_COLUMNS} FROM send_messages WHERE send_id = $1 ORDER BY position`, [id]);
      return toRecord(row, messages.rows);
    }),
    setSendCard: guard('setSendCard', (id: string, activityId: string) =>
      withTransaction(pool, async (client) => {
        const set = await client.query('UPDATE sends SET card_activity_id = $2 WHERE id = $1 AND card_activity_id IS NULL', [id, activityId]);
        if (set.rowCount === 0) return;
        const receipts = await client.query(`SELECT 1 FROM send_messages WHERE send_id = $1 AND status <> 'queued' LIMIT 1`, [id]);
        // Not at once: an invoke's answer (the card itself) may still be on its way to Teams.
        if (receipts.rowCount) await queueUpdate(client, id, now(), SEND_UPDATE_COALESCE_MS);
      }),
    ),
    applySendReceipt: guard('applySendReceipt', (r: DeliveryReceipt) =>
      withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ send_id: string }>(
          `UPDATE send_messages SET status = $2, status_text = $3, status_at = $4
           WHERE message_id = $1 AND ${RECEIPT_CHANGES('$2', '$3')}
           RETURNING send_id`,
          [r.messageId, r.status satisfies OutboundStatus, r.statusText ?? null, r.receivedAt],
        );
        const changed = rows[0];
        if (!changed) return (await client.query('SELECT 1 FROM send_messages WHERE message_id = $1', [r.messageId])).rowCount === 1;
        await queueUpdate(client, changed.send_id, now(), SEND_UPDATE_COALESCE_MS);
        return true;
      }),
    ),
  };
};
