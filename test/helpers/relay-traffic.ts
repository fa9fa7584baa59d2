import { expect } from 'vitest';
import { CHANNEL_ID, textMessage } from './activities.js';
import { cardText, TEST_WEBHOOK_TOKEN } from './bridge.js';
import type { FakeConnector } from './fake-connector.js';

/**
 * Inbound-SMS traffic for the relay's fault, restart and multi-instance tests: numbered texts
 * from numbered customers, pushed as ClickSend pushes them, and a check that each one shows up
 * in Teams exactly once, in order, in its customer's one thread.
 */

export const OUR_NUMBER = '+61480000000';

/** Customer 1..99 as an Australian mobile number. */
export const customerNumber = (customer: number): string => `+614111111${String(customer).padStart(2, '0')}`;

/** The text `n` of `customer`: a word no card shows otherwise, so a card's text can be searched for it. */
export const smsBody = (customer: number, n: number): string => `note c${customer}m${String(n).padStart(2, '0')}`;

/** ClickSend's message id of that text to `ourNumber` (the same id on every repeat of its push). */
export const smsId = (customer: number, n: number, ourNumber = OUR_NUMBER): string => `IN-${ourNumber.slice(1)}-${customer}-${n}`;

/** Polls until `probe` gives something other than undefined or false. */
export const until = async <T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what = 'the condition',
  timeoutMs = 10_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/**
 * Types `link <number>` in a channel (the fixtures' one unless `channelId` names another) and
 * waits for the bot's answer; the channel's posts then go to `connector`.
 */
export const linkChannel = async (bridgeUrl: string, connector: FakeConnector, options: { number?: string; channelId?: string } = {}): Promise<void> => {
  const activity = textMessage(connector.url, `link ${options.number ?? OUR_NUMBER}`, 'channel');
  const channelId = options.channelId ?? CHANNEL_ID;
  const linked = connector.cards().filter((c) => cardText(c.card).includes('Linked')).length;
  const response = await fetch(`${bridgeUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...activity,
      conversation: { ...activity.conversation, id: `${channelId};messageid=1700000000000` },
      channelData: { ...activity.channelData, channel: { id: channelId, name: channelId } },
    }),
  });
  await response.arrayBuffer();
  expect(response.status).toBeLessThan(300);
  await until(() => connector.cards().filter((c) => cardText(c.card).includes('Linked')).length > linked, 'the link to be confirmed');
};

/** Pushes text `n` of `customer` (to `to`, our number unless given) to a bridge's inbound webhook, as ClickSend does; the HTTP status. */
export const pushSms = async (bridgeUrl: string, customer: number, n: number, to = OUR_NUMBER): Promise<number> => {
  const response = await fetch(`${bridgeUrl}/webhooks/clicksend/inbound?token=${TEST_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      message_id: smsId(customer, n, to),
      from: customerNumber(customer),
      to,
      body: smsBody(customer, n),
      timestamp: Math.floor(Date.now() / 1000),
    }),
  });
  await response.arrayBuffer();
  return response.status;
};

export interface PostedSms {
  readonly customer: number;
  readonly n: number;
  /** The thread it was posted in. */
  readonly conversationId: string;
  /** Which post (new thread or reply) carried it, counting from 0. */
  readonly post: number;
}

const TOKEN = /\bc(\d+)m(\d+)\b/g;

/** Every numbered text the connector received, in the order it received them (digest cards included). */
export const postedSms = (connector: FakeConnector): PostedSms[] =>
  connector.cards().flatMap(({ call, card }, post) =>
    [...cardText(card).matchAll(TOKEN)].map((m) => ({ customer: Number(m[1]), n: Number(m[2]), conversationId: call.conversationId, post })),
  );

/** How many posts carried numbered texts. */
export const smsPosts = (connector: FakeConnector): number => new Set(postedSms(connector).map((p) => p.post)).size;

/**
 * Each of `customers` customers' texts 1..`perCustomer` was posted exactly once and in order,
 * all in one thread of the customer's own.
 */
export const expectEachOnceInOrder = (connector: FakeConnector, customers: number, perCustomer: number): void => {
  const posted = postedSms(connector);
  const threads = new Set<string>();
  for (let customer = 1; customer <= customers; customer += 1) {
    const mine = posted.filter((p) => p.customer === customer);
    expect(mine.map((p) => p.n), `texts of customer ${customer}, as posted`).toEqual(Array.from({ length: perCustomer }, (_, i) => i + 1));
    expect(new Set(mine.map((p) => p.conversationId)).size, `threads of customer ${customer}`).toBe(1);
    threads.add(mine[0]!.conversationId);
  }
  expect(threads.size, 'one thread per customer').toBe(customers);
  expect(posted.filter((p) => p.customer < 1 || p.customer > customers), 'texts of unknown customers').toEqual([]);
  expect(connector.calls.filter((c) => c.created).length, 'threads started').toBe(customers);
};

/**
 * Pushes the texts `from..to` of `customers` customers numbered from `first` (1) to
 * `ourNumber`: text 1 of each, then text 2 of each, and so on, each push answered before the
 * next (so that every customer's texts reach the bridge in order).
 */
export const pushBurst = async (
  bridgeUrl: string | ((i: number) => string),
  customers: number,
  from: number,
  to: number,
  options: { first?: number; ourNumber?: string } = {},
): Promise<void> => {
  const first = options.first ?? 1;
  let i = 0;
  for (let n = from; n <= to; n += 1) {
    for (let customer = first; customer < first + customers; customer += 1) {
      const url = typeof bridgeUrl === 'string' ? bridgeUrl : bridgeUrl(i);
      i += 1;
      expect(await pushSms(url, customer, n, options.ourNumber), `push of text ${n} of customer ${customer}`).toBe(200);
    }
  }
};

/** POSTs an inbound-SMS push as ClickSend does (JSON, with the token, now, to our number unless `body` says). */
export const pushInbound = (bridgeUrl: string, body: Record<string, unknown>): Promise<Response> =>
  fetch(`${bridgeUrl}/webhooks/clicksend/inbound?token=${TEST_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ timestamp: Math.floor(Date.now() / 1000), to: OUR_NUMBER, ...body }),
  });

/** The mark at the top of a customer's card while they are opted out (it then has no Reply box). */
export const OPTED_OUT_MARK = 'Opted out — texts to this number are refused until they text START';

/** The inbound-SMS cards the bridge posted, in order: with a Reply box, or with the opted-out mark instead. */
export const inboundCards = (connector: FakeConnector) =>
  connector.cards().filter((c) => c.card.body && (cardText(c.card).includes('Reply by SMS') || cardText(c.card).includes(OPTED_OUT_MARK)));

/**
 * Pushes text `n` of `customer` as ClickSend does when the bridge cannot store it: again after a
 * 5xx or a dropped connection, until it is answered 200 (any 4xx fails the test). How many
 * pushes were refused on the way.
 */
export const pushSmsUntilStored = async (bridgeUrl: string, customer: number, n: number, to = OUR_NUMBER, attempts = 200): Promise<number> => {
  for (let refused = 0; refused < attempts; refused += 1) {
    const status = await pushSms(bridgeUrl, customer, n, to).catch(() => 0);
    if (status === 200) return refused;
    expect(status === 0 || status >= 500, `push of text ${n} of customer ${customer} answered ${status}`).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`text ${n} of customer ${customer} was never stored`);
};
