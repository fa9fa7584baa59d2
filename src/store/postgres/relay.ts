import { currencyJson, priceText } from '../send-rows.js';
import type { Pool } from 'pg';
import { StoreNotFoundError, guard } from '../errors.js';
import { threadKey, type DeliveryReceipt, type InboundSms, type MessageStore, type OutboundRecord } from '../relay.js';
import { createGroupCommit, ItemRefused } from '../group-commit.js';
import { INBOUND_COLUMNS as INBOUND, OUTBOUND_COLUMNS as OUTBOUND, asIs, inboundMapper, outboundMapper, type InboundRow, type OutboundRow } from '../rows.js';
import type { Clock } from '../store.js';
import { acceptInboundBatch, type InboundOutcome } from './accept-inbound.js';
import { enqueuePostgres } from './enqueue.js';
import { withTransaction } from './transaction.js';

const toInbound = inboundMapper<Date>(asIs);
const toOutbound = outboundMapper<Date>(asIs);

const INSERT_OUTBOUND = `
  INSERT INTO outbound (${OUTBOUND}, status_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $9)
  ON CONFLICT (message_id) DO NOTHING`;

// A late `sent` must not undo `delivered`; a receipt that changes nothing changes no row.
// Concurrent receipts of one message queue on its row lock and each re-checks these conditions.
const APPLY_RECEIPT = `
  UPDATE outbound SET status = $2, status_text = $3, status_at = $4
  WHERE message_id = $1
    AND NOT (status IN ('delivered', 'failed') AND $2 IN ('queued', 'sent'))
    AND (status <> $2 OR status_text IS DISTINCT FROM $3)
  RETURNING our_number, customer_number`;

export interface PostgresMessages extends MessageStore {
  /** Sends the inbound SMS still waiting for their group's statement (before closing). */
  flushInbound(): Promise<void>;
}

/** SQLSTATE class 22: a value the database will not take (a NUL byte in a text), whatever it is batched with. */
const isDataException = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('22');
};

export const createPostgresMessages = (pool: Pool, now: Clock): PostgresMessages => {
  const acceptAll = async (batch: readonly InboundSms[]): Promise<(InboundOutcome | ItemRefused)[]> => {
    try {
      return await acceptInboundBatch(pool, batch, now());
    } catch (error) {
      if (batch.length === 1 || !isDataException(error)) throw error;
      // One push the database refuses must not fail the others: each again on its own, in
      // order (a thread's rows are queued in the order of its pushes).
      const outcomes: (InboundOutcome | ItemRefused)[] = [];
      for (const sms of batch) {
        outcomes.push(await acceptInboundBatch(pool, [sms], now()).then(([outcome]) => outcome!, (e: unknown) => new ItemRefused(e)));
      }
      return outcomes;
    }
  };
  // The worker reads the SMS of a round's rows at once: one query for them all.
  const reads = createGroupCommit(async (ids: readonly string[]) => {
    const { rows } = await pool.query<InboundRow<Date>>(`SELECT ${INBOUND} FROM inbound WHERE message_id = ANY($1::text[])`, [ids]);
    const found = new Map(rows.map((row) => [row.message_id, toInbound(row)]));
    return ids.map((id) => found.get(id));
  });
  // The pushes of one turn share one statement (see accept-inbound.ts); while two are under
  // way, the pushes arriving go together into the next, leaving the pool to everything else.
  const inbound = createGroupCommit(acceptAll, { maxBatch: 200, maxInFlight: 2 });
  return {
    acceptInbound: guard('acceptInbound', (sms: InboundSms) => inbound.submit(sms)),
    flushInbound: inbound.flush,
    getInbound: guard('getInbound', (messageId: string) => reads.submit(messageId)),
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
          m.units ?? null,
          priceText(m.price),
          currencyJson(m.currency),
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
  };
};
