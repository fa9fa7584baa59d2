import type { CurrencyInfo } from '../domain/money.js';
import type { DeliveryReceipt, OutboundStatus } from './relay.js';

/** What a send's result card shows, and where: one per command or form send. */

/** The Teams conversation a card is in, as the store keeps it (no Teams types here). */
export interface CardPlace {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId: string;
}

export type SendKind = 'sms' | 'mms' | 'voice' | 'fax' | 'letter' | 'postcard';

export interface SendMessageRecord {
  /** ClickSend's message id. */
  readonly messageId: string;
  /** A phone number, fax number or postal name, as the card shows it. */
  readonly recipient: string;
  /** Who it came from, as ClickSend sent it (our number or sender id), when it said. */
  readonly sender?: string | undefined;
  readonly status: OutboundStatus;
  /** ClickSend's error text for a failure. */
  readonly statusText?: string | undefined;
  /** SMS parts, or pages for fax and post. */
  readonly units?: number | undefined;
  readonly price?: number | undefined;
}

export interface SendRecord {
  /** Our id. */
  readonly id: string;
  readonly kind: SendKind;
  readonly place: CardPlace;
  /** The result card's activity, once it is posted. */
  readonly cardActivityId?: string | undefined;
  readonly sentBy: string;
  /** What ClickSend charged for the send, in `currency`. */
  readonly totalPrice: number;
  readonly currency?: CurrencyInfo | undefined;
  /** The send this one retried the failed recipients of. */
  readonly retryOf?: string | undefined;
  /** What was asked for (the form's values), so that the failed recipients can be sent it again. */
  readonly request?: Readonly<Record<string, unknown>> | undefined;
  readonly createdAt: Date;
  /** In the order ClickSend answered. */
  readonly messages: readonly SendMessageRecord[];
}

export interface SendStore {
  /** Records a send and its messages; an id recorded before changes nothing. */
  recordSend(send: SendRecord): Promise<void>;
  getSend(id: string): Promise<SendRecord | undefined>;
  /**
   * Where the send's card is, once posted; when receipts arrived before it, queues an update of
   * the card (`send-update`) in the same transaction.
   */
  setSendCard(id: string, activityId: string): Promise<void>;
  /**
   * Applies a receipt to a message of a send and queues the update of its card; false when the
   * message is not one of a send. Final statuses are never moved back; a receipt that changes
   * nothing queues nothing. Updates of one card are coalesced: one waits at most at a time.
   */
  applySendReceipt(receipt: DeliveryReceipt): Promise<boolean>;
}

/** The outbox key of a send's card: its updates go one at a time, in order. */
export const sendKey = (sendId: string): string => `send|${sendId}`;
