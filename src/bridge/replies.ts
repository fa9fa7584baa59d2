import { randomUUID } from 'node:crypto';
import type { ClickSendClient } from '../clicksend/client.js';
import { maskPhoneNumber } from '../domain/phone.js';
import { ClickSendNotConfiguredError, OptedOutError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RelayStore, ThreadRecord } from '../store/relay.js';

export interface RepliesDeps {
  readonly store: Pick<RelayStore, 'isOptedOut' | 'recordOutbound' | 'getThreadByConversation'>;
  readonly clicksend: ClickSendClient | undefined;
  readonly logger: Logger;
  readonly wake?: () => void;
  readonly now?: () => Date;
}

export interface SentReply {
  readonly messageId: string;
  readonly price: number;
  readonly currency: string | undefined;
}

/** `custom_string` of a reply: ClickSend hands it back with receipts and the customer's answers. */
export const replyReference = (): string => `teams-bridge:${randomUUID()}`;

/**
 * A reply typed in a customer's thread (or in its card's Reply field) goes to the customer as
 * an SMS from the number they wrote to, unless they opted out. Its status card is queued in
 * the same transaction that records it; receipts update that card later.
 */
export const createReplies = (deps: RepliesDeps) => {
  const log = deps.logger.child({ module: 'replies' });
  const now = deps.now ?? (() => new Date());
  return {
    /** The customer thread a conversation id (`...;messageid=`) belongs to, if any. */
    threadOf: (conversationId: string): Promise<ThreadRecord | undefined> => deps.store.getThreadByConversation(conversationId),

    /**
     * Sends the reply; resolves with ClickSend's message id and what it cost. `onSent` hears of
     * it as soon as ClickSend accepted it (for the audit log), before anything else can fail.
     */
    async reply(
      input: { ourNumber: string; customer: string; text: string; sentBy: string },
      onSent: (sent: SentReply) => Promise<void> = async () => undefined,
    ): Promise<SentReply> {
      if (await deps.store.isOptedOut(input.customer)) throw new OptedOutError([input.customer]);
      if (!deps.clicksend) throw new ClickSendNotConfiguredError();
      const result = await deps.clicksend.sms.send([
        { to: input.customer, from: input.ourNumber, body: input.text, custom_string: replyReference() },
      ]);
      const sent = result.messages[0]!;
      const reply: SentReply = { messageId: sent.message_id, price: result.total_price, currency: result._currency?.currency_name_short };
      await onSent(reply);
      await deps.store.recordOutbound({
        messageId: sent.message_id,
        ourNumber: input.ourNumber,
        customerNumber: input.customer,
        body: input.text,
        sentBy: input.sentBy,
        status: 'queued',
        createdAt: now(),
      });
      log.info({ messageId: sent.message_id, to: maskPhoneNumber(input.customer) }, 'reply sent');
      deps.wake?.();
      return reply;
    },
  };
};
export type Replies = ReturnType<typeof createReplies>;
