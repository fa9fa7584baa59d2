import type { Database } from 'better-sqlite3';
import { StoreNotFoundError, guard } from '../errors.js';
import { threadKey, type DeliveryReceipt, type InboundSms, type OutboundRecord, type OutboundStatus, type RelayStore } from '../relay.js';
import type { Clock } from '../store.js';
import type { SqliteEnqueue } from './enqueue.js';

/** The messages themselves: inbound SMS, our outbound SMS and their receipts. */
export type MessageStore = Pick<
  RelayStore,
  'acceptInbound' | 'getInbound' | 'recordOutbound' | 'getOutbound' | 'setOutboundCard' | 'applyReceipt'
>;

interface InboundRow {
  message_id: string;
  from_number: string;
  to_number: string;
  body: string;
  sent_at: number;
  original_message_id: string | null;
  original_body: string | null;
  custom_string: string | null;
}

interface OutboundRow {
  message_id: string;
  our_number: string;
  customer_number: string;
  body: string;
  sent_by: string;
  status: OutboundStatus;
  status_text: string | null;
  card_activity_id: string | null;
  created_at: number;
}

const INBOUND = 'message_id, from_number, to_number, body, sent_at, original_message_id, original_body, custom_string';
const OUTBOUND = 'message_id, our_number, customer_number, body, sent_by, status, status_text, card_activity_id, created_at';

const toInbound = (row: InboundRow): InboundSms => ({
  messageId: row.message_id,
  from: row.from_number,
  to: row.to_number,
  body: row.body,
  sentAt: new Date(row.sent_at),
  originalMessageId: row.original_message_id ?? undefined,
  originalBody: row.original_body ?? undefined,
  customString: row.custom_string ?? undefined,
});

const toOutbound = (row: OutboundRow): OutboundRecord => ({
  messageId: row.message_id,
  ourNumber: row.our_number,
  customerNumber: row.customer_number,
  body: row.body,
  sentBy: row.sent_by,
  status: row.status,
  statusText: row.status_text ?? undefined,
  cardActivityId: row.card_activity_id ?? undefined,
  createdAt: new Date(row.created_at),
});

export const createSqliteMessages = (db: Database, now: Clock, enqueue: SqliteEnqueue): MessageStore => {
  const insertInbound = db.prepare(`
    INSERT INTO inbound (${INBOUND}, received_at)
    VALUES (@messageId, @from, @to, @body, @sentAt, @originalMessageId, @originalBody, @customString, @receivedAt)
    ON CONFLICT (message_id) DO NOTHING`);
  const getInbound = db.prepare<[string], InboundRow>(`SELECT ${INBOUND} FROM inbound WHERE message_id = ?`);
  const insertOutbound = db.prepare(`
    INSERT INTO outbound (${OUTBOUND}, status_at)
    VALUES (@messageId, @ourNumber, @customerNumber, @body, @sentBy, @status, @statusText, @cardActivityId, @createdAt, @createdAt)
    ON CONFLICT (message_id) DO NOTHING`);
  const getOutbound = db.prepare<[string], OutboundRow>(`SELECT ${OUTBOUND} FROM outbound WHERE message_id = ?`);
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

  const accept = db.transaction((sms: InboundSms, at: number): 'stored' | 'duplicate' => {
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
    enqueue(threadKey(sms.to, sms.from), { kind: 'inbound', messageId: sms.messageId }, at);
    return 'stored';
  });
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
    });
    if (inserted.changes === 1) enqueue(threadKey(m.ourNumber, m.customerNumber), { kind: 'outbound-card', messageId: m.messageId }, at);
  });
  const receipt = db.transaction((r: DeliveryReceipt, at: number): boolean => {
    const changed = applyReceipt.get({ status: r.status, statusText: r.statusText ?? null, at: r.receivedAt.getTime(), messageId: r.messageId });
    if (!changed) return isOurs.get(r.messageId) !== undefined;
    enqueue(threadKey(changed.our_number, changed.customer_number), { kind: 'outbound-update', messageId: r.messageId }, at);
    return true;
  });

  return {
    acceptInbound: guard('acceptInbound', (sms: InboundSms) => accept.immediate(sms, now().getTime())),
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
