import { randomUUID } from 'node:crypto';
import { ClickSendMessagesFailedError } from '../clicksend/errors.js';
import { maskPhoneNumber } from '../domain/phone.js';
import type { Logger } from '../log.js';
import type { RelayStore, ThreadRecord } from '../store/relay.js';
import type { CardPlace } from '../store/sends.js';
import type { SendPipeline } from './send.js';

export interface RepliesDeps {
  readonly store: Pick<RelayStore, 'recordOutbound' | 'getThreadByConversation'>;
  readonly sends: Pick<SendPipeline, 'send'>;
  readonly logger: Logger;
  readonly wake?: () => void;
}

export interface SentReply {
  readonly messageId: string;
  readonly price: number;
  readonly currency: string | undefined;
}

/** A reply ClickSend took; `recorded` is false when its record (and so its status card) failed. */
export interface ReplyOutcome extends SentReply {
  readonly recorded: boolean;
}

/** `custom_string` of a reply: ClickSend hands it back with receipts and the customer's answers. */
export const replyReference = (): string => `teams-bridge:${randomUUID()}`;

/**
 * A reply typed in a customer's thread (or in its card's Reply field) goes to the customer as
 * an SMS from the number they wrote to, through the send pipeline (which refuses opted-out
 * customers and a missing ClickSend account, and audits). It is recorded as the thread's own
 * outbound message: its status card is queued in the same transaction, receipts update it later.
 */
export const createReplies = (deps: RepliesDeps) => {
  const log = deps.logger.child({ module: 'replies' });
  return {
    /** The customer thread a conversation id (`...;messageid=`) belongs to, if any. */
    threadOf: (conversationId: string): Promise<ThreadRecord | undefined> => deps.store.getThreadByConversation(conversationId),

    /**
     * Sends the reply; resolves with ClickSend's message id and what it cost. `onSent` hears of
     * it as soon as ClickSend accepted it (for the audit log), before anything else can fail.
     */
    async reply(
      input: { ourNumber: string; customer: string; text: string; sentBy: string; place: CardPlace },
      onSent: (sent: SentReply) => Promise<void> = async () => undefined,
    ): Promise<ReplyOutcome> {
      const message = { to: input.customer, from: input.ourNumber, body: input.text, custom_string: replyReference() };
      let sent: SentReply | undefined;
      let recorded = true;
      const outcome = await deps.sends.send(
        { kind: 'sms', numbers: [input.customer], confirmFirst: false, price: (c) => c.sms.price([message]), send: (c) => c.sms.send([message]) },
        {
          place: input.place,
          sentBy: input.sentBy,
          confirmed: true,
          audit: async (facts) => {
            sent = { messageId: facts.messageIds[0]!, price: facts.price, currency: facts.currency };
            await onSent(sent);
          },
          record: async (made) => {
            const [first] = made.messages;
            if (!first || first.status === 'failed') return;
            // Caught here, not by the pipeline: the SMS is spent, and without its record no status
            // card shows it in the thread, so the team must hear of it before they send it again.
            await deps.store.recordOutbound({
              messageId: first.messageId,
              ourNumber: input.ourNumber,
              customerNumber: input.customer,
              body: input.text,
              sentBy: input.sentBy,
              status: 'queued',
              createdAt: made.createdAt,
              ...(first.units === undefined ? {} : { units: first.units }),
              ...(first.price === undefined ? {} : { price: first.price }),
              ...(made.currency ? { currency: made.currency } : {}),
            }).catch((error: unknown) => {
              recorded = false;
              log.error({ err: error, messageId: first.messageId }, 'reply sent but not recorded; its status card will not show');
            });
          },
        },
      );
      if (!sent) {
        // Refused (no credit, a bad number): said as ClickSend said it, and nothing was spent.
        const status = outcome.answer.messages?.[0]?.status ?? 'UNKNOWN';
        throw new ClickSendMessagesFailedError({ operation: 'sms.send', result: outcome.answer, failed: [{ index: 0, to: input.customer, status }], total: 1 });
      }
      log.info({ messageId: sent.messageId, to: maskPhoneNumber(input.customer) }, 'reply sent');
      deps.wake?.();
      return { ...sent, recorded };
    },
  };
};
export type Replies = ReturnType<typeof createReplies>;
