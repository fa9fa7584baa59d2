import { currencyJson, priceText } from '../send-rows.js';
import type { Database } from 'better-sqlite3';
import { StoreNotFoundError, guard } from '../errors.js';
import { type DeliveryReceipt, type InboundSms, type MessageStore, type OutboundRecord, type OutboundStatus } from '../relay.js';
import { INBOUND_COLUMNS as INBOUND, OUTBOUND_COLUMNS as OUTBOUND, fromEpochMs, inboundMapper, outboundMapper, type InboundRow, type OutboundRow } from '../rows.js';
import { createGroupCommit } from '../group-commit.js';
import type { Clock } from '../store.js';
import type { SqliteEnqueue } from './enqueue.js';

const toInbound = inboundMapper(fromEpochMs);
const toOutbound = outboundMapper(fromEpochMs);

export interface SqliteMessages extends MessageStore {
  /** Commits the inbound SMS still waiting for their group's transaction (before closing). */
  flushInbound(): Promise<void>;
}

type Outcome = 'stored' | 'duplicate';

export const createSqliteMessages = (db: Database, now: Clock, enqueue: SqliteEnqueue): SqliteMessages => {
  const insertInbound = db.prepare(`
    INSERT INTO inbound (${INBOUND}, received_at)
    VALUES (@messageId, @from, @to, @body, @sentAt, @originalMessageId, @originalBody, @customString, @receivedAt)
    ON CONFLICT (message_id) DO NOTHING`);
  const getInbound = db.prepare<[string], InboundRow<number>>(`SELECT ${INBOUND} FROM inbound WHERE message_id = ?`);
  const insertOutbound = db.prepare(`
    INSERT INTO outbound (${OUTBOUND}, status_at)
    VALUES (@messageId, @ourNumber, @customerNumber, @body, @sentBy, @status, @statusText, @cardActivityId, @createdAt, @units, @price, @currency, @createdAt)
    ON CONFLICT (message_id) DO NOTHING`);
  const getOutbound = db.prepare<[string], OutboundRow<number>>(`SELECT ${OUTBOUND} FROM outbound WHERE message_id = ?`);
  const setCard = db.prepare<[string, string]>('UPDATE outbound SET card_activity_id = ? WHERE message_id = ?');
  // A late `sent` must not undo `delivered`; a receipt that changes nothing changes no row.
  const applyReceipt = db.prepare<
    [{ status: OutboundStatus; statusText: string | null; at: number; messageId: string }],
    { our_number: string; customer_number: string }
  >(`
    UPDATE outbound SET status = @status, status_text = @statusText, status_at = @at
    WHERE message_id = @messageId
      AND NOT (status IN ('delivered', 'failed') AND @status IN ('queued', 'sent'))
      AND (status <> @status OR status_text IS NOT @statusText)
    RETURNING our_number, customer_number`);
  const isOurs = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM outbound WHERE message_id = ?');

  const acceptOne = (sms: InboundSms, at: number): Outcome => {
    const inserted = insertInbound.run({
      messageId: sms.messageId,
      from: sms.from,
      to: sms.to,
      body: sms.body,
      sentAt: sms.sentAt.getTime(),
      originalMessageId: sms.originalMessageId ?? null,
      originalBody: sms.originalBody ?? null,
      customString: sms.customString ?? null,
      receivedAt: at,
    });
    if (inserted.changes === 0) return 'duplicate';
    enqueue(sms.to, sms.from, { kind: 'inbound', messageId: sms.messageId }, at);
    return 'stored';
  };
  // The pushes of one turn share a transaction: a commit (a WAL write) per push was most of
  // the cost of ingest. A repeat of a message inside one group finds the first's row and is a
  // duplicate, as it would be across groups.
  const acceptAll = db.transaction((items: readonly { sms: InboundSms; at: number }[]) => items.map(({ sms, at }) => acceptOne(sms, at)));
  const inbound = createGroupCommit((items: readonly { sms: InboundSms; at: number }[]) => acceptAll.immediate(items));
  const record = db.transaction((m: OutboundRecord, at: number) => {
    const inserted = insertOutbound.run({
      messageId: m.messageId,
      ourNumber: m.ourNumber,
      customerNumber: m.customerNumber,
      body: m.body,
      sentBy: m.sentBy,
      status: m.status,
      statusText: m.statusText ?? null,
      cardActivityId: m.cardActivityId ?? null,
      createdAt: m.createdAt.getTime(),
      units: m.units ?? null,
      price: priceText(m.price),
      currency: currencyJson(m.currency),
    });
    if (inserted.changes === 1) enqueue(m.ourNumber, m.customerNumber, { kind: 'outbound-card', messageId: m.messageId }, at);
  });
  const receipt = db.transaction((r: DeliveryReceipt, at: number): boolean => {
    const changed = applyReceipt.get({ status: r.status, statusText: r.statusText ?? null, at: r.receivedAt.getTime(), messageId: r.messageId });
    if (!changed) return isOurs.get(r.messageId) !== undefined;
    enqueue(changed.our_number, changed.customer_number, { kind: 'outbound-update', messageId: r.messageId }, at);
    return true;
  });

  return {
    acceptInbound: guard('acceptInbound', (sms: InboundSms) => inbound.submit({ sms, at: now().getTime() })),
    flushInbound: inbound.flush,
    getInbound: guard('getInbound', (messageId: string) => {
      const row = getInbound.get(messageId);
      return row && toInbound(row);
    }),
    recordOutbound: guard('recordOutbound', (message: OutboundRecord) => record.immediate(message, now().getTime())),
    getOutbound: guard('getOutbound', (messageId: string) => {
      const row = getOutbound.get(messageId);
      return row && toOutbound(row);
    }),
    setOutboundCard: guard('setOutboundCard', (messageId: string, activityId: string) => {
      if (setCard.run(activityId, messageId).changes === 0) throw new StoreNotFoundError('outbound', messageId);
    }),
    applyReceipt: guard('applyReceipt', (r: DeliveryReceipt) => receipt.immediate(r, now().getTime())),
  };
};
