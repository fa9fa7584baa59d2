import { describe, expect, it } from 'vitest';
import { createRelayCards } from '../../src/bridge/relay-cards.js';
import { createCardRenderer } from '../../src/cards/render.js';
import type { InboundSms } from '../../src/store/relay.js';
import { checkAdaptiveCard } from '../cards/adaptive-cards.js';
import { cardText, executeActions, inputIds } from '../helpers/bridge.js';

const OUR = '+61480000000';
const CUSTOMER = '+61411111111';
const MARK = 'Opted out — texts to this number are refused until they text START';
const cards = createCardRenderer();

let next = 1;
const sms = (body: string): InboundSms => ({ messageId: `IN-${next++}`, from: CUSTOMER, to: OUR, body, sentAt: new Date(Date.UTC(2026, 0, 1, 9, next)) });

/** The TextBlocks of a card that say `words`, with their colour. */
const blocksSaying = (card: unknown, words: string): { text: string; color?: unknown }[] => {
  const found: { text: string; color?: unknown }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record['type'] === 'TextBlock' && typeof record['text'] === 'string' && record['text'].includes(words)) found.push({ text: record['text'], color: record['color'] });
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
};

const optedOutStore = (numbers: string[]) => async (number: string) => numbers.includes(number);

describe('the inbound SMS card of an opted-out customer', () => {
  it('shows the opted-out mark at the top and no Reply box while the store says the customer is opted out', async () => {
    const card = await createRelayCards({ cards, isOptedOut: optedOutStore([CUSTOMER]) }).inbound([sms('One more thing')]);
    expect(cardText(card).split('\n')[0]).toBe(MARK);
    expect(blocksSaying(card, MARK)).toEqual([{ text: MARK, color: 'attention' }]);
    expect(inputIds(card)).toEqual([]);
    expect(executeActions(card)).toEqual([]);
    expect(checkAdaptiveCard(card)).toEqual([]);
  });

  it('offers the Reply box, without the mark, while the store says the customer may be texted', async () => {
    const card = await createRelayCards({ cards, isOptedOut: optedOutStore([]) }).inbound([sms('Hello again')]);
    expect(cardText(card)).not.toContain(MARK);
    expect(inputIds(card)).toEqual(['body']);
    expect(executeActions(card)).toMatchObject([{ verb: 'thread.reply', data: { customer: CUSTOMER, ourNumber: OUR } }]);
  });

  it("follows the store, not the card's words, when a digest ends opted back in", async () => {
    const card = await createRelayCards({ cards, isOptedOut: optedOutStore([]) }).inbound([sms('STOP'), sms('START')]);
    expect(inputIds(card)).toEqual(['body']);
    expect(cardText(card)).not.toContain(MARK);
  });

  it("falls back to the card's own STOP when the store cannot say, or no store is given", async () => {
    const failing = createRelayCards({ cards, isOptedOut: () => Promise.reject(new Error('store down')) });
    const stop = await failing.inbound([sms('STOP')]);
    expect(cardText(stop)).toContain(MARK);
    expect(inputIds(stop)).toEqual([]);
    expect(inputIds(await failing.inbound([sms('Hi')]))).toEqual(['body']);
    expect(inputIds(await createRelayCards({ cards }).inbound([sms('Stop')]))).toEqual([]);
  });

  it('shows STOP in the warning colour and START in the good colour', async () => {
    const relayCards = createRelayCards({ cards, isOptedOut: optedOutStore([]) });
    const stop = await createRelayCards({ cards, isOptedOut: optedOutStore([CUSTOMER]) }).inbound([sms('STOP')]);
    expect(blocksSaying(stop, 'The customer opted out')).toEqual([{ text: expect.stringContaining('until they text START') as string, color: 'attention' }]);
    const start = await relayCards.inbound([sms('START')]);
    expect(blocksSaying(start, 'opted back in')).toEqual([{ text: 'The customer opted back in: texts can be sent again.', color: 'good' }]);
    expect(checkAdaptiveCard(start)).toEqual([]);
  });
});
