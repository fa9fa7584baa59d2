import type { CurrencyInfo } from '../domain/money.js';
import type { OutboundStatus } from './relay.js';
import type { CardPlace, SendKind, SendMessageRecord, SendRecord } from './sends.js';
import type { ToDate } from './rows.js';

/** The `sends` and `send_messages` rows, as both engines read them (times per driver). */
export interface SendRow<Time> {
  id: string;
  kind: SendKind;
  /** JSON text (SQLite) or the parsed JSONB value (PostgreSQL). */
  place: unknown;
  card_activity_id: string | null;
  sent_by: string;
  total_price: string;
  currency: string | null;
  retry_of: string | null;
  /** JSON text (SQLite) or the parsed JSONB value (PostgreSQL). */
  request: unknown;
  created_at: Time;
}

export interface SendMessageRow {
  message_id: string;
  recipient: string;
  sender: string | null;
  status: OutboundStatus;
  status_text: string | null;
  units: number | null;
  price: string | null;
}

export const SEND_COLUMNS = 'id, kind, place, card_activity_id, sent_by, total_price, currency, retry_of, request, created_at';
export const SEND_MESSAGE_COLUMNS = 'message_id, recipient, sender, status, status_text, units, price';

const placeOf = (json: unknown): CardPlace => {
  const place = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<CardPlace>;
  return { conversationId: String(place.conversationId), serviceUrl: String(place.serviceUrl), tenantId: String(place.tenantId), botId: String(place.botId) };
};

export const sendRecordOf =
  <Time>(toDate: ToDate<Time>) =>
  (row: SendRow<Time>, messages: readonly SendMessageRow[]): SendRecord => ({
    id: row.id,
    kind: row.kind,
    place: placeOf(row.place),
    ...(row.card_activity_id ? { cardActivityId: row.card_activity_id } : {}),
    sentBy: row.sent_by,
    totalPrice: Number(row.total_price),
    ...(row.currency ? { currency: JSON.parse(row.currency) as CurrencyInfo } : {}),
    ...(row.retry_of ? { retryOf: row.retry_of } : {}),
    ...(row.request === null || row.request === undefined ? {} : { request: requestOf(row.request) }),
    createdAt: toDate(row.created_at),
    messages: messages.map(
      (m): SendMessageRecord => ({
        messageId: m.message_id,
        recipient: m.recipient,
        ...(m.sender ? { sender: m.sender } : {}),
        status: m.status,
        ...(m.status_text ? { statusText: m.status_text } : {}),
        ...(m.units === null ? {} : { units: m.units }),
        ...(m.price === null ? {} : { price: Number(m.price) }),
      }),
    ),
  });

/** Prices as exact decimal text (ClickSend's numbers, which a float column could round); the currency block as JSON. */
export const priceText = (price: number | undefined): string | null => (price === undefined ? null : String(price));
export const currencyJson = (currency: CurrencyInfo | undefined): string | null =>
  currency ? JSON.stringify({ currency_name_short: currency.currency_name_short, currency_prefix_d: currency.currency_prefix_d }) : null;

const requestOf = (json: unknown): Readonly<Record<string, unknown>> => {
  const value: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};

/** The place as JSON, with its fields only (whatever else the caller's object carries). */
export const placeJson = (place: CardPlace): string =>
  JSON.stringify({ conversationId: place.conversationId, serviceUrl: place.serviceUrl, tenantId: place.tenantId, botId: place.botId });

/**
 * How long a card update waits before it goes, so that receipts arriving together (a list send's
 * thousand) make one update rather than one each; within it, a waiting update is not queued again.
 */
export const SEND_UPDATE_COALESCE_MS = 2_000;

/** A receipt moves a message's status unless it would move a final one back, or changes nothing (as SQL). */
export const RECEIPT_CHANGES = (status: string, statusText: string) => `NOT (status IN ('delivered', 'failed') AND ${status} IN ('queued', 'sent'))
      AND (status <> ${status} OR status_text IS DISTINCT FROM ${statusText})`;
