/**
 * The rows of the conversation and relay tables, their column lists and how each row becomes
 * its record, shared by both engines. The engines store the same columns in different types
 * (see the migrations), so each row is generic in how its driver returns a time: better-sqlite3
 * as epoch milliseconds, pg as a Date. Each engine builds its mappers once with its `ToDate`.
 */

import type { CurrencyInfo } from '../domain/money.js';
import type { InboundSms, LinkRecord, OutboundRecord, OutboundStatus, ThreadRecord } from './relay.js';
import type { ConversationKind, ConversationRecord } from './store.js';

export type ToDate<Time> = (time: Time) => Date;

export const fromEpochMs: ToDate<number> = (ms) => new Date(ms);

export const fromJsonText = (text: string): unknown => JSON.parse(text);

/** For what pg already returns as the record holds it: TIMESTAMPTZ as a Date, JSONB parsed. */
export const asIs = <T>(value: T): T => value;

/** `reference` is JSON text in SQLite and parsed JSONB in PostgreSQL, hence its own reader. */
export interface ConversationRow<Time, Json> {
  conversation_id: string;
  kind: ConversationKind;
  tenant_id: string;
  service_url: string;
  team_id: string | null;
  channel_id: string | null;
  bot_id: string;
  user_id: string | null;
  welcomed_at: Time | null;
  reference: Json;
}

export const CONVERSATION_COLUMNS = 'conversation_id, kind, tenant_id, service_url, team_id, channel_id, bot_id, user_id, welcomed_at, reference';

export const conversationMapper =
  <Time, Json>(toDate: ToDate<Time>, readJson: (json: Json) => unknown) =>
  (row: ConversationRow<Time, Json>): ConversationRecord => ({
    conversationId: row.conversation_id,
    kind: row.kind,
    tenantId: row.tenant_id,
    serviceUrl: row.service_url,
    teamId: row.team_id ?? undefined,
    channelId: row.channel_id ?? undefined,
    botId: row.bot_id,
    userId: row.user_id ?? undefined,
    welcomedAt: row.welcomed_at === null ? undefined : toDate(row.welcomed_at),
    reference: readJson(row.reference),
  });

export interface LinkRow<Time> {
  number: string;
  team_id: string;
  channel_id: string;
  tenant_id: string;
  service_url: string;
  bot_id: string;
  created_by: string;
  created_at: Time;
}

export const LINK_COLUMNS = 'number, team_id, channel_id, tenant_id, service_url, bot_id, created_by, created_at';

export const linkMapper =
  <Time>(toDate: ToDate<Time>) =>
  (row: LinkRow<Time>): LinkRecord => ({
    number: row.number,
    teamId: row.team_id,
    channelId: row.channel_id,
    tenantId: row.tenant_id,
    serviceUrl: row.service_url,
    botId: row.bot_id,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  });

export interface ThreadRow<Time> {
  channel_id: string;
  our_number: string;
  customer_number: string;
  conversation_id: string;
  root_message_id: string;
  created_at: Time;
}

export const THREAD_COLUMNS = 'channel_id, our_number, customer_number, conversation_id, root_message_id, created_at';

export const threadMapper =
  <Time>(toDate: ToDate<Time>) =>
  (row: ThreadRow<Time>): ThreadRecord => ({
    channelId: row.channel_id,
    ourNumber: row.our_number,
    customerNumber: row.customer_number,
    conversationId: row.conversation_id,
    rootMessageId: row.root_message_id,
    createdAt: toDate(row.created_at),
  });

export interface InboundRow<Time> {
  message_id: string;
  from_number: string;
  to_number: string;
  body: string;
  sent_at: Time;
  original_message_id: string | null;
  original_body: string | null;
  custom_string: string | null;
}

export const INBOUND_COLUMNS = 'message_id, from_number, to_number, body, sent_at, original_message_id, original_body, custom_string';

export const inboundMapper =
  <Time>(toDate: ToDate<Time>) =>
  (row: InboundRow<Time>): InboundSms => ({
    messageId: row.message_id,
    from: row.from_number,
    to: row.to_number,
    body: row.body,
    sentAt: toDate(row.sent_at),
    originalMessageId: row.original_message_id ?? undefined,
    originalBody: row.original_body ?? undefined,
    customString: row.custom_string ?? undefined,
  });

export interface OutboundRow<Time> {
  message_id: string;
  our_number: string;
  customer_number: string;
  body: string;
  sent_by: string;
  status: OutboundStatus;
  status_text: string | null;
  card_activity_id: string | null;
  created_at: Time;
  units: number | null;
  price: string | null;
  currency: string | null;
}

export const OUTBOUND_COLUMNS =
  'message_id, our_number, customer_number, body, sent_by, status, status_text, card_activity_id, created_at, units, price, currency';

export const outboundMapper =
  <Time>(toDate: ToDate<Time>) =>
  (row: OutboundRow<Time>): OutboundRecord => ({
    messageId: row.message_id,
    ourNumber: row.our_number,
    customerNumber: row.customer_number,
    body: row.body,
    sentBy: row.sent_by,
    status: row.status,
    statusText: row.status_text ?? undefined,
    cardActivityId: row.card_activity_id ?? undefined,
    createdAt: toDate(row.created_at),
    ...(row.units === null ? {} : { units: row.units }),
    ...(row.price === null ? {} : { price: Number(row.price) }),
    ...(row.currency === null ? {} : { currency: JSON.parse(row.currency) as CurrencyInfo }),
  });
