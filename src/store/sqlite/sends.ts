import type { Database } from 'better-sqlite3';
import { guard } from '../errors.js';
import type { DeliveryReceipt, OutboundStatus } from '../relay.js';
import { fromEpochMs } from '../rows.js';
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

export const createSqliteSends = (db: Database, now: Clock): SendStore => {
  const insertSend = db.prepare(`
    INSERT INTO sends (${SEND_COLUMNS}) VALUES (@id, @kind, @place, @cardActivityId, @sentBy, @totalPrice, @currency, @retryOf, @request, @createdAt)
    ON CONFLICT (id) DO NOTHING`);
  const insertMessage = db.prepare(`
    INSERT INTO send_messages (send_id, position, ${SEND_MESSAGE_COLUMNS}, status_at)
    VALUES (@sendId, @position, @messageId, @recipient, @sender, @status, @statusText, @units, @price, @at)
    ON CONFLICT (message_id) DO NOTHING`);
  const getSend = db.prepare<[string], SendRow<number>>(`SELECT ${SEND_COLUMNS} FROM sends WHERE id = ?`);
  const getMessages = db.prepare<[string], SendMessageRow>(`SELECT ${SEND_MESSAGE_COLUMNS} FROM send_messages WHERE send_id = ? ORDER BY position`);
  const setCard = db.prepare<[string, string]>('UPDATE sends SET card_activity_id = ? WHERE id = ? AND card_activity_id IS NULL');
  const anyReceipt = db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM send_messages WHERE send_id = ? AND status <> 'queued' LIMIT 1`);
  const receipt = db.prepare<[{ status: OutboundStatus; statusText: string | null; at: number; messageId: string }], { send_id: string }>(`
    UPDATE send_messages SET status = @status, status_text = @statusText, status_at = @at
    WHERE message_id = @messageId AND ${RECEIPT_CHANGES('@status', '@statusText')}
    RETURNING send_id`);
  const isOurs = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM send_messages WHERE message_id = ?');
  // One update waiting per card: receipts that come while it waits are shown by it.
  const queueUpdate = db.prepare<[{ key: string; task: string; at: number; due: number }]>(`
    INSERT INTO outbox (key, task, status, attempts, due_at, created_at)
    SELECT @key, @task, 'pending', 0, @due, @at
    WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE key = @key AND status IN ('pending', 'claimed', 'waiting') AND status = 'pending')`);
  const update = (sendId: string, at: number, delayMs: number) =>
    queueUpdate.run({ key: sendKey(sendId), task: JSON.stringify({ kind: 'send-update', sendId }), at, due: at + delayMs });

  const record = db.transaction((send: SendRecord) => {
    const inserted = insertSend.run({
      id: send.id,
      kind: send.kind,
      place: placeJson(send.place),
      cardActivityId: send.cardActivityId ?? null,
      sentBy: send.sentBy,
      totalPrice: String(send.totalPrice),
      currency: currencyJson(send.currency),
      retryOf: send.retryOf ?? null,
      request: send.request ? JSON.stringify(send.request) : null,
      createdAt: send.createdAt.getTime(),
    });
    if (inserted.changes === 0) return;
    send.messages.forEach((m, position) =>
      insertMessage.run({
        sendId: send.id,
        position,
        messageId: m.messageId,
        recipient: m.recipient,
        sender: m.sender ?? null,
        status: m.status,
        statusText: m.statusText ?? null,
        units: m.units ?? null,
        price: priceText(m.price),
        at: send.createdAt.getTime(),
      }),
    );
  });
  const attach = db.transaction((id: string, activityId: string, at: number) => {
    if (setCard.run(activityId, id).changes === 0) return;
    // Not at once: an invoke's answer (the card itself) may still be on its way to Teams.
    if (anyReceipt.get(id)) update(id, at, SEND_UPDATE_COALESCE_MS);
  });
  const apply = db.transaction((r: DeliveryReceipt, at: number): boolean => {
    const changed = receipt.get({ status: r.status, statusText: r.statusText ?? null, at: r.receivedAt.getTime(), messageId: r.messageId });
    if (!changed) return isOurs.get(r.messageId) !== undefined;
    update(changed.send_id, at, SEND_UPDATE_COALESCE_MS);
    return true;
  });
  const toRecord = sendRecordOf(fromEpochMs);

  return {
    recordSend: guard('recordSend', (send: SendRecord) => record.immediate(send)),
    getSend: guard('getSend', (id: string) => {
      const row = getSend.get(id);
      return row ? toRecord(row, getMessages.all(id)) : undefined;
    }),
    setSendCard: guard('setSendCard', (id: string, activityId: string) => attach.immediate(id, activityId, now().getTime())),
    applySendReceipt: guard('applySendReceipt', (r: DeliveryReceipt) => apply.immediate(r, now().getTime())),
  };
};
