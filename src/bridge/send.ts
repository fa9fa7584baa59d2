import { randomUUID } from 'node:crypto';
import type { ClickSendClient } from '../clicksend/client.js';
import { ClickSendMessagesFailedError, ClickSendPartialSendError } from '../clicksend/errors.js';
import type { SentMessage } from '../clicksend/messages.js';
import type { CurrencyInfo } from '../domain/money.js';
import { ClickSendNotConfiguredError, OptedOutError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RelayStore } from '../store/relay.js';
import type { CardPlace, SendKind, SendMessageRecord, SendRecord, SendStore } from '../store/sends.js';
import { describeStatus } from './send-status.js';

/** A row of any send answer: messages carry `to`, post recipients `address_name`. */
export interface ResultRow extends Partial<SentMessage> {
  readonly status: string;
  readonly address_name?: string | undefined;
  readonly message_pages?: number | undefined;
  readonly post_pages?: number | undefined;
  readonly post_price?: number | undefined;
}

/** Any send answer: messages (SMS, MMS, voice, fax) or recipients (post). */
export interface SendAnswer {
  readonly messages?: readonly ResultRow[];
  readonly recipients?: readonly ResultRow[];
  readonly total_price: number;
  readonly _currency?: CurrencyInfo | undefined;
}

/** One send, as every way of sending describes it: what, to whom, and how ClickSend prices and sends it. */
export interface SendPlan {
  readonly kind: SendKind;
  /** Phone numbers texted or called directly: refused when they opted out (none for fax and post). */
  readonly numbers: readonly string[];
  /** Shown with its price and confirmed first whatever it costs: a whole contact list, a letter, a postcard. */
  readonly confirmFirst: boolean;
  price(client: ClickSendClient): Promise<SendAnswer>;
  send(client: ClickSendClient): Promise<SendAnswer>;
}

/** Who sends and where the result card will be; `confirmed` once the user saw the price. */
export interface SendContext {
  readonly place: CardPlace;
  readonly sentBy: string;
  readonly confirmed: boolean;
  /** The send whose failed recipients this one sends again. */
  readonly retryOf?: string | undefined;
  /** What was asked for (the form's values), kept for Retry failed. */
  readonly request?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Records the send in place of the default (a thread reply keeps its row in `outbound`, whose
   * status card lives in the customer's thread).
   */
  readonly record?: (send: SendRecord) => Promise<void>;
  /** Writes the audit entry of what ClickSend accepted; never throws (see bot/audit-log.ts). */
  readonly audit: (facts: { recipients: number; messageIds: readonly string[]; price: number; currency: string | undefined }) => Promise<void>;
}

export type SendOutcome =
  /** Nothing was sent: the user must confirm this price first. */
  | { readonly kind: 'confirm'; readonly priced: SendAnswer; readonly refused: number; readonly recipients: number }
  /** ClickSend took the request; `accepted` says whether it accepted any recipient. */
  | { readonly kind: 'sent'; readonly send: SendRecord; readonly accepted: boolean; readonly answer: SendAnswer };

export interface SendPipelineDeps {
  readonly clicksend: ClickSendClient | undefined;
  readonly store: Pick<RelayStore, 'isOptedOut'> & Pick<SendStore, 'recordSend' | 'setSendCard' | 'getSend'>;
  /** `SEND_CONFIRM_ABOVE`: a price above which any send asks first. */
  readonly confirmAbove?: number | undefined;
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

const rowsOf = (answer: SendAnswer): readonly ResultRow[] => answer.messages ?? answer.recipients ?? [];

/** ClickSend's message id of a message of a send; undefined for a recipient it refused (see messageOf). */
export const clickSendIdOf = (send: Pick<SendRecord, 'id'>, message: Pick<SendMessageRecord, 'messageId'>): string | undefined =>
  message.messageId.startsWith(`${send.id}:`) ? undefined : message.messageId;

/** A recipient ClickSend refused has no message id: it is kept under one of the send's own. */
const messageOf = (sendId: string, row: ResultRow, position: number): SendMessageRecord => {
  const accepted = row.status === 'SUCCESS';
  const units = row.message_parts ?? row.message_pages ?? row.post_pages;
  const price = row.message_price ?? row.post_price;
  return {
    messageId: accepted && row.message_id ? row.message_id : `${sendId}:${position}`,
    recipient: row.to ?? row.address_name ?? '',
    ...(row.from ? { sender: row.from } : {}),
    status: accepted ? 'queued' : 'failed',
    ...(accepted ? {} : { statusText: `${describeStatus(row.status)} (${row.status})` }),
    ...(units === undefined ? {} : { units }),
    ...(price === undefined ? {} : { price }),
  };
};

/**
 * The one way a message leaves: commands, forms and list sends call it (thread replies keep their
 * own record, see replies.ts, and share its checks). It refuses opted-out numbers, asks for
 * confirmation where the policy says so (lists, post, anything above `SEND_CONFIRM_ABOVE`), sends
 * through the ClickSend client once, records every message for its receipts, and audits.
 */
export const createSendPipeline = (deps: SendPipelineDeps) => {
  const log = deps.logger.child({ module: 'send' });
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;

  const client = (): ClickSendClient => {
    if (!deps.clicksend) throw new ClickSendNotConfiguredError();
    return deps.clicksend;
  };

  const verifyNotOptedOut = async (numbers: readonly string[]): Promise<void> => {
    const refused = (await Promise.all(numbers.map(async (n) => ((await deps.store.isOptedOut(n)) ? n : undefined)))).filter(
      (n): n is string => n !== undefined,
    );
    if (refused.length > 0) throw new OptedOutError(refused);
  };

  const confirmation = (priced: SendAnswer): Extract<SendOutcome, { kind: 'confirm' }> => {
    const rows = rowsOf(priced);
    return { kind: 'confirm', priced, recipients: rows.length, refused: rows.filter((row) => row.status !== 'SUCCESS').length };
  };

  /** ClickSend's answer, also when it refused every recipient (that answer still says why, per recipient). */
  const sendOnce = async (plan: SendPlan): Promise<SendAnswer> => {
    try {
      return await plan.send(client());
    } catch (error) {
      if (error instanceof ClickSendMessagesFailedError) return error.result as SendAnswer;
      throw error;
    }
  };

  /**
   * Whether the user must see the price first: undefined when the send may go now. Opted-out
   * numbers and a missing ClickSend account throw before anything is priced.
   */
  const quote = async (plan: SendPlan, confirmed: boolean): Promise<Extract<SendOutcome, { kind: 'confirm' }> | undefined> => {
    const clicksend = client();
    const { confirmAbove } = deps;
    // Checked here only before a price is asked for: `send` checks them itself.
    if (confirmed || (!plan.confirmFirst && confirmAbove === undefined)) return undefined;
    await verifyNotOptedOut(plan.numbers);
    const priced = await plan.price(clicksend);
    return plan.confirmFirst || (confirmAbove !== undefined && priced.total_price > confirmAbove) ? confirmation(priced) : undefined;
  };

  /** Sends once, audits what ClickSend accepted and records every message for its receipts. */
  const send = async (plan: SendPlan, context: SendContext): Promise<Extract<SendOutcome, { kind: 'sent' }>> => {
    await verifyNotOptedOut(plan.numbers);
    // A batched send that stopped part-way: what ClickSend took is spent and must be audited and
    // followed like any send; the caller then hears that the rest was not sent (or may have been).
    let stopped: ClickSendPartialSendError | undefined;
    const answer = await sendOnce(plan).catch((error: unknown) => {
      if (!(error instanceof ClickSendPartialSendError)) throw error;
      stopped = error;
      return error.sent as SendAnswer;
    });
    const id = newId();
    const record: SendRecord = {
      id,
      kind: plan.kind,
      place: context.place,
      sentBy: context.sentBy,
      totalPrice: answer.total_price,
      ...(answer._currency ? { currency: answer._currency } : {}),
      ...(context.retryOf ? { retryOf: context.retryOf } : {}),
      ...(context.request ? { request: context.request } : {}),
      createdAt: now(),
      messages: rowsOf(answer).map((row, i) => messageOf(id, row, i)),
    };
    const accepted = record.messages.filter((m) => m.status !== 'failed');
    // The money is spent: from here on nothing may make the user think it was not.
    if (accepted.length > 0) {
      await context.audit({
        recipients: accepted.length,
        messageIds: accepted.map((m) => m.messageId),
        price: answer.total_price,
        currency: answer._currency?.currency_name_short,
      });
    }
    try {
      await (context.record ? context.record(record) : deps.store.recordSend(record));
    } catch (error) {
      // The card still shows what was sent; only its later receipts cannot reach it.
      log.error({ err: error, sendId: id }, 'could not record a send; its card will not follow its receipts');
    }
    log.info({ sendId: id, kind: plan.kind, recipients: record.messages.length, accepted: accepted.length }, 'sent');
    if (stopped) throw stopped;
    return { kind: 'sent', send: record, accepted: accepted.length > 0, answer };
  };

  return {
    quote,
    send,
    /** Checks, asks, or sends: `quote`, then `send` when nothing needs confirming. */
    async run(plan: SendPlan, context: SendContext): Promise<SendOutcome> {
      return (await quote(plan, context.confirmed)) ?? send(plan, context);
    },
    /** A send as recorded, with its messages' statuses (for Retry failed). */
    get: (id: string): Promise<SendRecord | undefined> => deps.store.getSend(id),
    /** Where the send's card was posted, for its receipts to update it; never throws (the send is made). */
    async attachCard(sendId: string, activityId: string): Promise<void> {
      await deps.store.setSendCard(sendId, activityId).catch((error: unknown) => log.error({ err: error, sendId }, 'could not record where a send card is'));
    },
  };
};
export type SendPipeline = ReturnType<typeof createSendPipeline>;
