import type { AdaptiveCardJson, CardData } from '../cards/types.js';
import type { InboundSms, OutboundRecord } from '../store/relay.js';
import { formatMoney } from '../domain/money.js';
import type { SendRecord } from '../store/sends.js';
import { optIntentOf, type OptIntent } from './opt-out.js';
import type { SendExports } from './send-export.js';
import { sendCardData } from './send-cards.js';

export interface RelayCardsDeps {
  readonly cards: { render<N extends keyof CardData>(name: N, data: CardData[N]): AdaptiveCardJson };
  /** The name of the ClickSend contact with this number, when a list holds it. */
  readonly contactName?: (number: string) => Promise<string | undefined>;
  /** Whether the customer is opted out now (the store's); without it, the card's own STOP or START decides. */
  readonly isOptedOut?: (number: string) => Promise<boolean>;
  /** Signed links to every recipient of a send (needs PUBLIC_URL and AUDIT_LINK_SECRET); none without it. */
  readonly sendExports?: Pick<SendExports, 'link'> | undefined;
}

const STATUS: Record<OutboundRecord['status'], { label: string; color: CardData['outbound-sms']['statusColor'] }> = {
  queued: { label: 'Queued', color: 'default' },
  sent: { label: 'Sent', color: 'default' },
  delivered: { label: 'Delivered', color: 'good' },
  failed: { label: 'Failed', color: 'attention' },
};

/**
 * A time for the card's `{{DATE()}}`/`{{TIME()}}`: Adaptive Cards accept RFC 3339 without
 * fractions of a second only, and show anything else raw
 * (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features).
 */
export const cardTime = (at: Date): string => at.toISOString().replace(/\.\d+Z$/, 'Z');

/** How a card is posted: `possibleRepeat` when Teams may already show it (its answer was lost). */
export interface RelayCardOptions {
  readonly possibleRepeat?: boolean;
  /** The first card of a customer's thread: it says once what here reaches the customer. */
  readonly firstInThread?: boolean;
}

/** The thread rule, said at the top of every new customer thread (and in the README). */
export const THREAD_RULE =
  'To text this customer, use Reply below or @mention the bot in this thread. Anything else written here stays in Teams, as a note for the team.';

/** Honest about the one duplicate the bridge cannot rule out, so that nobody answers twice. */
export const REPEAT_NOTE = 'This may repeat a card posted just before: Teams did not confirm that one, so the bridge posted it again.';

/** What a customer's STOP or START says on their card: bad news in the warning colour, good news in green. */
const NOTICES: Record<OptIntent, NonNullable<CardData['inbound-sms']['notice']>> = {
  'opt-out': { text: 'The customer opted out: nothing more can be sent to this number until they text START.', color: 'attention' },
  'opt-in': { text: 'The customer opted back in: texts can be sent again.', color: 'good' },
};

/** `2 parts · $0.1584 AUD`: what a reply took and cost, when ClickSend said. */
const costOf = (message: OutboundRecord): string | undefined => {
  const parts = message.units === undefined ? undefined : `${message.units} ${message.units === 1 ? 'part' : 'parts'}`;
  const price = message.price === undefined ? undefined : formatMoney(message.price, message.currency);
  return [parts, price].filter((p) => p !== undefined).join(' · ') || undefined;
};

/** The cards of the relay: a customer's SMS (one, or a digest) and our replies with their status. */
export const createRelayCards = (deps: RelayCardsDeps) => {
  const relayCards = {
    async inbound(messages: readonly InboundSms[], options: RelayCardOptions = {}): Promise<AdaptiveCardJson> {
      return (await relayCards.inboundDraft(messages, options))(options.firstInThread === true);
    },
    /**
     * Looks up what the customer's card needs (their name, whether they opted out) and answers with
     * a drawing of it, for the first card of a thread or a later one: the lookups are done before
     * the post takes the channel's turn, and the thread is known only in that turn.
     */
    async inboundDraft(messages: readonly InboundSms[], options: RelayCardOptions = {}): Promise<(firstInThread: boolean) => AdaptiveCardJson> {
      const first = messages[0]!;
      // A failed lookup (even one that throws before it returns a promise) only costs the name.
      const name = await Promise.resolve()
        .then(() => deps.contactName?.(first.from))
        .catch(() => undefined);
      // The newest STOP or START of a digest decides, though the customer may have texted more after it.
      const intent = messages.map((m) => optIntentOf(m.body)).findLast((i) => i !== undefined);
      const notice = intent === undefined ? undefined : NOTICES[intent];
      // The pipeline refuses every send to an opted-out number: a Reply box would only be refused.
      // A failed lookup falls back to the card's own STOP or START (the pipeline still checks).
      const optedOut =
        (await Promise.resolve()
          .then(() => deps.isOptedOut?.(first.from))
          .catch(() => undefined)) ?? intent === 'opt-out';
      const quote = messages.map((m) => m.originalBody).find((body) => body !== undefined && body !== '');
      return (firstInThread) =>
        deps.cards.render('inbound-sms', {
        customer: first.from,
        ...(name ? { contactName: name } : {}),
        ourNumber: first.to,
        messages: messages.map((m) => ({ text: m.body, time: cardTime(m.sentAt) })),
        ...(quote ? { quote } : {}),
        ...(notice ? { notice } : {}),
        ...(options.possibleRepeat ? { repeatNote: REPEAT_NOTE } : {}),
        ...(firstInThread ? { rule: THREAD_RULE } : {}),
        ...(optedOut
          ? { optedOut: true }
          : { reply: { title: 'Send', verb: 'thread.reply', data: { customer: first.from, ourNumber: first.to }, style: 'positive' } }),
      });
    },
    /** The result card of a command or form send, with the statuses its receipts brought. */
    send(send: SendRecord): AdaptiveCardJson {
      return deps.cards.render('send-result', sendCardData(send, deps.sendExports?.link));
    },
    outbound(message: OutboundRecord, options: RelayCardOptions = {}): AdaptiveCardJson {
      const status = STATUS[message.status];
      return deps.cards.render('outbound-sms', {
        customer: message.customerNumber,
        ourNumber: message.ourNumber,
        text: message.body,
        sentBy: message.sentBy,
        status: status.label,
        statusColor: status.color,
        ...(message.statusText && message.status === 'failed' ? { detail: message.statusText } : {}),
        ...(options.possibleRepeat ? { repeatNote: REPEAT_NOTE } : {}),
        ...(costOf(message) ? { cost: costOf(message) } : {}),
        messageId: message.messageId,
      });
    },
  };
  return relayCards;
};
export type RelayCards = ReturnType<typeof createRelayCards>;
