import { describe, expect, it } from 'vitest';
import { createContactNames } from '../../src/bridge/contact-names.js';
import { createRelayCards } from '../../src/bridge/relay-cards.js';
import { createCardRenderer } from '../../src/cards/render.js';
import type { ClickSendClient } from '../../src/clicksend/client.js';
import type { InboundSms, OutboundRecord } from '../../src/store/relay.js';
import { checkAdaptiveCard } from '../cards/adaptive-cards.js';
import { cardText, executeActions } from '../helpers/bridge.js';

const OUR = '+61480000000';
const CUSTOMER = '+61411111111';
const cards = createCardRenderer();

let next = 1;
const sms = (body: string, extra: Partial<InboundSms> = {}): InboundSms => ({
  messageId: `IN-${next++}`,
  from: CUSTOMER,
  to: OUR,
  body,
  sentAt: new Date(Date.UTC(2026, 0, 1, 9, next)),
  ...extra,
});

const outbound = (extra: Partial<OutboundRecord> = {}): OutboundRecord => ({
  messageId: 'OUT-1',
  ourNumber: OUR,
  customerNumber: CUSTOMER,
  body: 'See you at 3',
  sentBy: 'Ada Lovelace',
  status: 'queued',
  createdAt: new Date(),
  ...extra,
});

// The Adaptive Cards renderer's own pattern (adaptivecards/lib/text-formatters.js): any other
// form is shown to the user raw.
const DATE_FUNCTION = /\{{2}DATE\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|(?:(?:-|\+)\d{2}:\d{2})))(?:, ?(COMPACT|LONG|SHORT))?\)\}{2}/g;
const TIME_FUNCTION = /\{{2}TIME\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|(?:(?:-|\+)\d{2}:\d{2})))\)\}{2}/g;

const OPTED_OUT = 'opted out';
const OPTED_IN = 'opted back in';

describe('the inbound SMS card', () => {
  it('titles a digest with the number of messages and lists each text with its time, oldest first', async () => {
    const messages = [sms('One'), sms('Two'), sms('Three')];
    const card = await createRelayCards({ cards }).inbound(messages);
    const text = cardText(card);
    expect(text).toContain('3 new messages');
    expect([text.indexOf('One'), text.indexOf('Two'), text.indexOf('Three')]).toEqual([...[text.indexOf('One'), text.indexOf('Two'), text.indexOf('Three')]].sort((a, b) => a - b));
    for (const m of messages) expect(text).toContain(m.sentAt.toISOString().replace('.000Z', 'Z'));
    expect(checkAdaptiveCard(card)).toEqual([]);
  });

  it('gives each time in the form the DATE and TIME functions of Adaptive Cards format, to the second', async () => {
    const sentAt = new Date(Date.UTC(2026, 10, 28, 3, 15, 9, 123));
    const text = cardText(await createRelayCards({ cards }).inbound([sms('Timed', { sentAt })]));
    const line = text.split('\n').find((l) => l.includes('{{DATE('));
    expect(line).toBeDefined();
    expect(line!.replace(DATE_FUNCTION, 'D').replace(TIME_FUNCTION, 'T')).toBe('D T');
    expect(line).toContain('2026-11-28T03:15:09Z');
  });

  it('has no digest title for a single message', async () => {
    const text = cardText(await createRelayCards({ cards }).inbound([sms('Only one')]));
    expect(text).not.toMatch(/new messages/);
  });

  it('says the customer opted out when they texted STOP, and back in when they texted START', async () => {
    const relayCards = createRelayCards({ cards });
    expect(cardText(await relayCards.inbound([sms('STOP')]))).toContain(OPTED_OUT);
    expect(cardText(await relayCards.inbound([sms('Unsubscribe.')]))).toContain(OPTED_OUT);
    expect(cardText(await relayCards.inbound([sms('start')]))).toContain(OPTED_IN);
    const plain = cardText(await relayCards.inbound([sms('Please do not stop the delivery')]));
    expect(plain).not.toContain(OPTED_OUT);
    expect(plain).not.toContain(OPTED_IN);
  });

  it('says the customer opted out when a digest has STOP before another text', async () => {
    const relayCards = createRelayCards({ cards });
    const text = cardText(await relayCards.inbound([sms('Hi'), sms('STOP'), sms('Sorry, wrong number')]));
    expect(text).toContain(OPTED_OUT);
    expect(text).not.toContain(OPTED_IN);
  });

  it('says where the customer ended up when a digest has both STOP and START', async () => {
    const relayCards = createRelayCards({ cards });
    const backIn = cardText(await relayCards.inbound([sms('STOP'), sms('START'), sms('thanks')]));
    expect(backIn).toContain(OPTED_IN);
    expect(backIn).not.toContain(OPTED_OUT);
    const out = cardText(await relayCards.inbound([sms('START'), sms('STOP')]));
    expect(out).toContain(OPTED_OUT);
    expect(out).not.toContain(OPTED_IN);
  });

  it('quotes the message of ours the customer answered', async () => {
    const text = cardText(await createRelayCards({ cards }).inbound([sms('Yes', { originalMessageId: 'OUT-9', originalBody: 'Confirm 3pm?' })]));
    expect(text).toContain('In reply to');
    expect(text).toContain('Confirm 3pm?');
    expect(cardText(await createRelayCards({ cards }).inbound([sms('No quote', { originalBody: '' })]))).not.toContain('In reply to');
  });

  it("shows the contact's name above the number when the lookup finds one", async () => {
    const card = await createRelayCards({ cards, contactName: async () => 'Grace Hopper' }).inbound([sms('Hello')]);
    const text = cardText(card);
    expect(text).toContain('Grace Hopper');
    expect(text).toContain(CUSTOMER);
    expect(text).toContain(OUR);
  });

  it('leaves the name out, and still shows the card, when the lookup fails', async () => {
    const failing = createRelayCards({ cards, contactName: () => Promise.reject(new Error('ClickSend is down')) });
    const text = cardText(await failing.inbound([sms('Still here')]));
    expect(text).toContain(CUSTOMER);
    expect(text).toContain('Still here');
    const heading = cardText(await failing.inbound([sms('x')])).split('\n')[0];
    expect(heading).toBe(CUSTOMER);
  });

  it('leaves the name out when the lookup throws before it returns a promise', async () => {
    const throwing = createRelayCards({
      cards,
      contactName: () => {
        throw new Error('no client');
      },
    });
    expect(cardText(await throwing.inbound([sms('Still shown')]))).toContain('Still shown');
  });

  it("puts the customer and our number in the Reply button's data", async () => {
    const [button] = executeActions(await createRelayCards({ cards }).inbound([sms('Hi')]));
    expect(button).toMatchObject({ verb: 'thread.reply', data: { customer: CUSTOMER, ourNumber: OUR } });
  });
});

describe('the outbound SMS card', () => {
  it('shows the status, and the error text only for a failure', () => {
    const relayCards = createRelayCards({ cards });
    const failed = cardText(relayCards.outbound(outbound({ status: 'failed', statusText: 'Number disconnected' })));
    expect(failed).toContain('Failed');
    expect(failed).toContain('Number disconnected');
    const delivered = cardText(relayCards.outbound(outbound({ status: 'delivered', statusText: 'Delivered to handset' })));
    expect(delivered).toContain('Delivered');
    expect(delivered).not.toContain('Delivered to handset');
    expect(checkAdaptiveCard(relayCards.outbound(outbound()))).toEqual([]);
  });
});

describe('contact names', () => {
  const clientWith = (search: () => Promise<unknown>) => ({ lists: { search } }) as unknown as ClickSendClient;
  const page = (data: unknown[]) => ({ data, total: data.length, per_page: 15, current_page: 1, last_page: 1 });

  it('takes the name of the contact with exactly this number, not of one that only contains it', async () => {
    const names = createContactNames(
      clientWith(async () =>
        page([
          { id: 1, name: 'Longer Number', contact: '+614111111119', type: 'contact' },
          { id: 2, name: '+61411111111 leads', contact: null, type: 'list' },
          { id: 3, name: 'Grace Hopper', contact: CUSTOMER, type: 'contact' },
        ]),
      ),
    );
    expect(await names(CUSTOMER)).toBe('Grace Hopper');
  });

  it('knows no name when only other numbers match', async () => {
    const names = createContactNames(clientWith(async () => page([{ id: 1, name: 'Someone Else', contact: '+614111111119', type: 'contact' }])));
    expect(await names(CUSTOMER)).toBeUndefined();
  });

  it('asks ClickSend once per number within the hour', async () => {
    let calls = 0;
    let now = 0;
    const names = createContactNames(
      clientWith(async () => {
        calls += 1;
        return page([{ id: 3, name: 'Grace Hopper', contact: CUSTOMER, type: 'contact' }]);
      }),
      () => now,
    );
    await names(CUSTOMER);
    await names(CUSTOMER);
    expect(calls).toBe(1);
    now = 61 * 60 * 1000;
    await names(CUSTOMER);
    expect(calls).toBe(2);
  });
});
