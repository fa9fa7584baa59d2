import type { Pool } from 'pg';
import { StoreNotFoundError, guard } from '../errors.js';
import { threadKey, type DeliveryReceipt, type InboundSms, type MessageStore, type OutboundRecord } from '../relay.js';
import { INBOUND_COLUMNS as INBOUND, OUTBOUND_COLUMNS as OUTBOUND, asIs, inboundMapper, outboundMapper, type InboundRow, type OutboundRow } from '../rows.js';
import type { Clock } from '../store.js';
import { enqueuePostgres } from './enqueue.js';
import { withTransaction } from './transaction.js';

const toInbound = inboundMapper<Date>(asIs);
const toOutbound = outboundMapper<Date>(asIs);

// A concurrent duplicate waits on the unique index for the first insert's transaction and then
// does nothing, so exactly one of them inserts (and queues) across every instance.
const INSERT_INBOUND = `
  INSERT INTO inbound (${INBOUND}, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (message_id) DO NOTHING`;

const INSERT_OUTBOUND = `
  INSERT INTO outbound (${OUTBOUND}, status_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
  ON CONFLICT (message_id) DO NOTHING`;

// A late `sent` must not undo `delivered`; a receipt that changes nothing changes no row.
// Concurrent receipts of one message queue on its row lock and each re-checks these conditions.
const APPLY_RECEIPT = `
  UPDATE outbound SET status = $2, status_text = $3, status_at = $4
  WHERE message_id = $1
    AND NOT (status IN ('delivered', 'failed') AND $2 IN ('queued', 'sent'))
    AND (status <> $2 OR status_text IS DISTINCT FROM $3)
  RETURNING our_number, customer_number`;

export const createPostgresMessages = (pool: Pool, now: Clock): MessageStore => ({
  acceptInbound: guard('acceptInbound', (sms: InboundSms) =>
    withTransaction(pool, async (client) => {
      const at = now();
      const { rowCount } = await client.query(INSERT_INBOUND, [
        sms.messageId,
        sms.from,
        sms.to,
        sms.body,
        sms.sentAt,
        sms.originalMessageId ?? null,
        sms.originalBody ?? null,
        sms.customString ?? null,
        at,
      ]);
      if (rowCount !== 1) return 'duplicate' as const;
      await enqueuePostgres(client, threadKey(sms.to, sms.from), { kind: 'inbound', messageId: sms.messageId }, at);
      return 'stored' as const;
    }),
  ),
  getInbound: guard('getInbound', async (messageId: string) => {
    const { rows } = await pool.query<InboundRow<Date>>(`SELECT ${INBOUND} FROM inbound WHERE message_id = $1`, [messageId]);
    const row = rows[0];
    return row && toInbound(row);
  }),
  recordOutbound: guard('recordOutbound', (m: OutboundRecord) =>
    withTransaction(pool, async (client) => {
      const { rowCount } = await client.query(INSERT_OUTBOUND, [
        m.messageId,
        m.ourNumber,
        m.customerNumber,
        m.body,
        m.sentBy,
        m.status,
        m.statusText ?? null,
        m.cardActivityId ?? null,
        m.createdAt,
      ]);
      if (rowCount === 1) {
        await enqueuePostgres(client, threadKey(m.ourNumber, m.customerNumber), { kind: 'outbound-card', messageId: m.messageId }, now());
      }
    }),
  ),
  getOutbound: guard('getOutbound', async (messageId: string) => {
    const { rows } = await pool.query<OutboundRow<Date>>(`SELECT ${OUTBOUND} FROM outbound WHERE message_id = $1`, [messageId]);
    const row = rows[0];
    return row && toOutbound(row);
  }),
  setOutboundCard: guard('setOutboundCard', async (messageId: string, activityId: string) => {
    const { rowCount } = await pool.query('UPDATE outbound SET card_activity_id = $2 WHERE message_id = $1', [messageId, activityId]);
    if (rowCount === 0) throw new StoreNotFoundError('outbound', messageId);
  }),
  applyReceipt: guard('applyReceipt', (r: DeliveryReceipt) =>
    withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ our_number: string; customer_number: string }>(APPLY_RECEIPT, [
        r.messageId,
        r.status,
        r.statusText ?? null,
        r.receivedAt,
      ]);
      const changed = rows[0];
      if (!changed) {
        const ours = await client.query('SELECT 1 FROM outbound WHERE message_id = $1', [r.messageId]);
        return ours.rowCount === 1;
      }
      const key = threadKey(changed.our_number, changed.customer_number);
      await enqueuePostgres(client, key, { kind: 'outbound-update', messageId: r.messageId }, now());
      return true;
    }),
  ),
});
