/**
 * What the store keeps for the inbound-SMS relay: which channel each of our numbers is linked
 * to, the thread of each customer, every inbound and outbound message, opt-outs, and the
 * outbox of Teams posts. Every write that causes a Teams post adds its outbox row in the same
 * transaction, so a post is never lost between the two.
 */

import type { CurrencyInfo } from '../domain/money.js';

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
  /** SMS parts, what ClickSend charged and in which currency, for the card. */
  readonly units?: number | undefined;
  readonly price?: number | undefined;
  readonly currency?: CurrencyInfo | undefined;
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
  /** The result card of a command or form send, after receipts (`sendKey`). */
  | { readonly kind: 'send-update'; readonly sendId: string }
  | { readonly kind: 'notice'; readonly text: string };

/** The outbox key of a customer's thread: rows of one key are delivered one at a time, in id order. */
export const threadKey = (ourNumber: string, customerNumber: string): string => `${ourNumber}|${customerNumber}`;

/**
 * `pending` and `claimed` rows are in line; `waiting` ones wait for a link (and hold up their
 * key); `parked` and `done` ones are finished (and hold up nothing).
 */
export type OutboxStatus = 'pending' | 'claimed' | 'waiting' | 'parked' | 'done';

/** How long `prune` keeps a done row (for operators to look at), counted from its completion. */
export const DONE_OUTBOX_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * What a release put back in line, told apart by whom it is for: customer texts (`inbound`
 * rows) and the rest (our replies' status cards and their updates, send cards, notices).
 */
export interface ReleasedRows {
  readonly texts: number;
  readonly others: number;
}

export interface OutboxRow {
  readonly id: number;
  /** Rows of one key are delivered one at a time, in id order: `<our number>|<customer number>`. */
  readonly key: string;
  readonly task: OutboxTask;
  readonly attempts: number;
  readonly createdAt: Date;
  /**
   * A Teams call for this row started before and its outcome was never learnt (the worker died
   * or lost Teams' answer): the post may be in Teams already, and one more shows as a possible repeat.
   */
  readonly maybePosted: boolean;
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
  /** The thread whose Teams conversation (`...;messageid=<root>`) this is, for a reply typed in it. */
  getThreadByConversation(conversationId: string): Promise<ThreadRecord | undefined>;
  /** Records a new thread; if one already exists for the triple, returns that one instead. */
  saveThread(thread: ThreadRecord): Promise<ThreadRecord>;
  /**
   * Records our SMS and queues its status card (`outbound-card`) in one transaction. A message
   * id recorded before changes nothing and queues nothing.
   */
  recordOutbound(message: OutboundRecord): Promise<void>;
  getOutbound(messageId: string): Promise<OutboundRecord | undefined>;
  setOutboundCard(messageId: string, activityId: string): Promise<void>;
  /**
   * Applies a receipt to our message and queues the card update in one transaction; false
   * when the message is not ours (the receipt is then ignored). A final status (`delivered`,
   * `failed`) is never moved back to `queued` or `sent`; a receipt that changes nothing (late,
   * or repeated) answers true and queues nothing.
   */
  applyReceipt(receipt: DeliveryReceipt): Promise<boolean>;
  /**
   * Marks the customer opted out (`true`) or back in (`false`) as of `at`; a change older than
   * the one stored is ignored, so applying one twice, or late, is harmless.
   */
  setOptOut(customerNumber: string, optedOut: boolean, at: Date): Promise<void>;
  isOptedOut(customerNumber: string): Promise<boolean>;
}

// Each engine implements RelayStore in two modules, one per slice below.

/** The messages themselves: inbound SMS, our outbound SMS and their receipts. */
export type MessageStore = Pick<
  RelayStore,
  'acceptInbound' | 'getInbound' | 'recordOutbound' | 'getOutbound' | 'setOutboundCard' | 'applyReceipt'
>;

/** What the store keeps per customer: their thread in each channel, and whether they opted out. */
export type CustomerStore = Pick<RelayStore, 'getThread' | 'getThreadByConversation' | 'saveThread' | 'setOptOut' | 'isOptedOut'>;

export interface OutboxStore {
  /**
   * Claims up to `limit` rows that are due, at most one key's head row each, none of whose key
   * is already claimed by anyone; each claim lasts `leaseMs` (after a crash, another worker
   * takes the row over when the lease ends, which counts as an attempt). Safe across processes.
   */
  claimOutbox(worker: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  /**
   * The due rows right behind `row` with the same key and an `inbound` task, claimed with it
   * (for one digest card when a thread falls behind); it stops at the first row that is not
   * one. None unless `worker` still holds `row`, whose lease is renewed with theirs.
   */
  claimFollowing(row: OutboxRow, worker: string, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  /**
   * Marks rows done (kept for `DONE_OUTBOX_RETENTION_MS`, then deleted by `prune`). This and
   * the other methods that take ids change only rows still in line or waiting; others, and
   * unknown ids, are left alone.
   */
  completeOutbox(ids: readonly number[]): Promise<void>;
  /**
   * Puts the rows back for a later attempt (`attempts` + 1), with the error for the logs.
   * `outcome` says whether Teams refused the call (`refused`: nothing was posted) or its answer
   * was lost (`unknown`: the rows stay marked `maybePosted`).
   */
  retryOutbox(ids: readonly number[], at: Date, error: string, outcome?: 'refused' | 'unknown'): Promise<void>;
  /**
   * Marks the rows as about to be posted (before the Teams call), so that whoever takes them over
   * after a crash knows the post may have happened. Only rows `worker` holds; returns how many.
   */
  startOutboxAttempt(ids: readonly number[], worker: string): Promise<number>;
  /** Extends the leases of the rows `worker` still holds to `leaseMs` from now; returns how many. */
  renewOutbox(ids: readonly number[], worker: string, leaseMs: number): Promise<number>;
  /**
   * Puts every row held by a worker of `instance` (worker ids `<instance>:<process>`) other than
   * `except` back in line, due now, without counting an attempt: for an instance starting again
   * (its earlier process died holding them). A row whose post had started stays marked
   * `maybePosted`, and the earlier process, should it live on, can no longer mark or post it
   * (its worker id no longer holds it). Returns how many.
   */
  releaseOutboxClaims(instance: string, except: string): Promise<number>;
  /**
   * Puts the rows back, due at `at`, without counting an attempt: they were never tried (their
   * channel was busy or out of budget, or the bridge was stopping), so their next failure backs
   * off as its first would. `reason` is kept only when no earlier failure left its error.
   */
  deferOutbox(ids: readonly number[], at: Date, reason: string): Promise<void>;
  /** Takes rows out of delivery for good (the bot was removed, the channel deleted). */
  parkOutbox(ids: readonly number[], reason: string, channelId: string): Promise<void>;
  /**
   * Puts the rows that waited for a link to `number` (every number for `*`) back in line, due
   * now (after `link`); returns how many, customer texts apart from the rest. Texts to other
   * numbers go on waiting untouched.
   */
  releaseWaiting(number: string): Promise<ReleasedRows>;
  /**
   * Puts back in line the rows that wait for a link although their number was linked at or after
   * `since` (a text whose statement read the links just before another instance linked its
   * number, and committed just after that instance released the waiting rows); returns how many.
   * One lookup of the links when none was made since then.
   */
  releaseLinkedWaiting(since: Date): Promise<number>;
  /**
   * Puts the parked rows of a channel back in line (after `link` there: the bot may have been
   * added back), and with `number` (not `*`) those of that number's threads wherever they were
   * parked (it is linked to a channel that works now); returns how many, customer texts apart
   * from the rest. A parked row holds up the rows of its thread queued behind it, so that they
   * follow it in order once it is let out.
   */
  releaseParked(channelId: string, number?: string): Promise<ReleasedRows>;
  /**
   * Parks rows as waiting for a link to their number, with the rows queued behind them; a row
   * queued later for a thread that waits waits with it.
   */
  waitForLink(ids: readonly number[]): Promise<void>;
  /**
   * How many rows are in line (`pending`, claimed ones included), wait for a link, or are
   * parked, and since when the oldest row in line has been in line (queued, or released by a
   * link), whenever it is next due (for /readyz and /metrics).
   */
  outboxStats(): Promise<{ pending: number; waiting: number; parked: number; oldestQueuedAt: Date | undefined }>;
  /**
   * Parked rows of the channels of a team, for `links` to report: one entry per channel that
   * has any, ordered by channel id, with the reason of the row parked last.
   */
  parkedFor(channelIds: readonly string[]): Promise<{ channelId: string; count: number; reason: string }[]>;
}
