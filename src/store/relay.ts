/**
 * What the store keeps for the inbound-SMS relay: which channel each of our numbers is linked
 * to, the thread of each customer, every inbound and outbound message, opt-outs, and the
 * outbox of Teams posts. Every write that causes a Teams post adds its outbox row in the same
 * transaction, so a post is never lost between the two.
 */

/** `*` links every number that has no link of its own (`link all`). */
export const ANY_NUMBER = '*';

export interface LinkRecord {
  /** Our ClickSend number in E.164, or `*`. */
  readonly number: string;
  readonly teamId: string;
  /** The channel's own id (`19:...@thread.tacv2`), which is also its conversation id. */
  readonly channelId: string;
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly botId: string;
  /** The Teams user who made the link. */
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface ThreadRecord {
  readonly channelId: string;
  readonly ourNumber: string;
  readonly customerNumber: string;
  /** `19:...@thread.tacv2;messageid=<rootMessageId>`: where later posts of the thread go. */
  readonly conversationId: string;
  readonly rootMessageId: string;
  readonly createdAt: Date;
}

export interface InboundSms {
  /** ClickSend's id of the inbound message: the key that makes a repeated push harmless. */
  readonly messageId: string;
  /** The customer. */
  readonly from: string;
  /** Our number. */
  readonly to: string;
  readonly body: string;
  /** When the customer sent it (ClickSend's `timestamp`). */
  readonly sentAt: Date;
  readonly originalMessageId?: string | undefined;
  readonly originalBody?: string | undefined;
  readonly customString?: string | undefined;
}

export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'failed';

export interface OutboundRecord {
  /** ClickSend's message id of our SMS. */
  readonly messageId: string;
  readonly ourNumber: string;
  readonly customerNumber: string;
  readonly body: string;
  /** Who replied, for the card. */
  readonly sentBy: string;
  readonly status: OutboundStatus;
  readonly statusText?: string | undefined;
  /** The Teams activity of its status card, once posted. */
  readonly cardActivityId?: string | undefined;
  readonly createdAt: Date;
}

export interface DeliveryReceipt {
  readonly messageId: string;
  readonly status: OutboundStatus;
  readonly statusText?: string | undefined;
  readonly receivedAt: Date;
}

/** What a row of the outbox asks the worker to do; the worker builds the card when it runs. */
export type OutboxTask =
  | { readonly kind: 'inbound'; readonly messageId: string }
  | { readonly kind: 'outbound-card'; readonly messageId: string }
  | { readonly kind: 'outbound-update'; readonly messageId: string }
  | { readonly kind: 'notice'; readonly text: string };

export interface OutboxRow {
  readonly id: number;
  /** Rows of one key are delivered one at a time, in id order: `<our number>|<customer number>`. */
  readonly key: string;
  readonly task: OutboxTask;
  readonly attempts: number;
  readonly createdAt: Date;
}

export interface LinkStore {
  /** Links `number` to a channel, replacing any earlier link of that number. */
  saveLink(link: LinkRecord): Promise<void>;
  /** Removes the link of `number` if it belongs to `teamId`; false when there was none. */
  removeLink(number: string, teamId: string): Promise<boolean>;
  /** The link of exactly this number, else the `*` link, else undefined. */
  findLink(number: string): Promise<LinkRecord | undefined>;
  listLinks(teamId: string): Promise<LinkRecord[]>;
}

export interface RelayStore {
  /**
   * Stores an inbound SMS once and, in the same transaction, queues its outbox row (key
   * `<to>|<from>`). A `message_id` seen before changes nothing and says `duplicate`.
   */
  acceptInbound(sms: InboundSms): Promise<'stored' | 'duplicate'>;
  getInbound(messageId: string): Promise<InboundSms | undefined>;
  getThread(channelId: string, ourNumber: string, customerNumber: string): Promise<ThreadRecord | undefined>;
  /** Records a new thread; if one already exists for the triple, returns that one instead. */
  saveThread(thread: ThreadRecord): Promise<ThreadRecord>;
  /** Records our SMS and queues its status card (`outbound-card`) in one transaction. */
  recordOutbound(message: OutboundRecord): Promise<void>;
  getOutbound(messageId: string): Promise<OutboundRecord | undefined>;
  setOutboundCard(messageId: string, activityId: string): Promise<void>;
  /**
   * Applies a receipt to our message and queues the card update in one transaction; false
   * when the message is not ours (the receipt is then ignored).
   */
  applyReceipt(receipt: DeliveryReceipt): Promise<boolean>;
  /** Marks the customer opted out (`true`) or back in (`false`). */
  setOptOut(customerNumber: string, optedOut: boolean, at: Date): Promise<void>;
  isOptedOut(customerNumber: string): Promise<boolean>;
}

export interface OutboxStore {
  /**
   * Claims up to `limit` rows that are due, at most one key's head row each, none of whose key
   * is already claimed by anyone; each claim lasts `leaseMs` (after a crash, another worker
   * takes the row over when the lease ends). Safe across processes.
   */
  claimOutbox(worker: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  /**
   * The due rows right behind `row` with the same key and an `inbound` task, claimed with it
   * (for one digest card when a thread falls behind).
   */
  claimFollowing(row: OutboxRow, worker: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  completeOutbox(ids: readonly number[]): Promise<void>;
  /** Puts the rows back for a later attempt (`attempts` + 1), with the error for the logs. */
  retryOutbox(ids: readonly number[], at: Date, error: string): Promise<void>;
  /** Takes rows out of delivery for good (the bot was removed, the channel deleted). */
  parkOutbox(ids: readonly number[], reason: string, channelId: string): Promise<void>;
  /** Puts rows that waited for a link back in line (after `link`). */
  releaseWaiting(): Promise<number>;
  /** Parks rows as waiting for a link to their number. */
  waitForLink(ids: readonly number[]): Promise<void>;
  /** How many rows wait, and how old the oldest due one is (for /readyz and /metrics). */
  outboxStats(): Promise<{ pending: number; waiting: number; parked: number; oldestDueAt: Date | undefined }>;
  /** Parked rows of the channels of a team, for `links` to report. */
  parkedFor(channelIds: readonly string[]): Promise<{ channelId: string; count: number; reason: string }[]>;
}
