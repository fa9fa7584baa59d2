import { describe, expect, it } from 'vitest';
import { createRelayCards } from '../../src/bridge/relay-cards.js';
import { MAX_CARD_ROWS, sendCardData } from '../../src/bridge/send-cards.js';
import { createCardRenderer } from '../../src/cards/render.js';
import type { SendRecord } from '../../src/store/sends.js';
import { checkAdaptiveCard } from '../cards/adaptive-cards.js';
import { cardText } from '../helpers/bridge.js';

const AUD = { currency_name_short: 'AUD', currency_prefix_d: '$' };

/** A list send of `count` recipients, the first `failed` of them failed. */
const aSend = (count: number, failed = 0): SendRecord => ({
  id: 'send-1',
  kind: 'sms',
  place: { conversationId: 'a:chat', serviceUrl: 'https://smba.example/', tenantId: 't', botId: '28:bot' },
  sentBy: 'Ada',
  totalPrice: 0.0792 * count,
  currency: AUD,
  createdAt: new Date('2026-11-28T09:00:00Z'),
  request: { list_id: '7', body: 'Sale' },
  messages: Array.from({ length: count }, (_, i) => ({
    messageId: `M-${i}`,
    recipient: `+614${String(10_000_000 + i)}`,
    status: i < failed ? ('failed' as const) : ('delivered' as const),
    ...(i < failed ? { statusText: 'Number disconnected' } : {}),
    units: 1,
    price: 0.0792,
  })),
});

const linkFor = (sendId: string) => `https://bridge.example.com/exports/send.csv?send=${sendId}&expires=1&sig=abc`;
const renderer = createCardRenderer();

/** The url of the card's download button, if it has one. */
const downloadOf = (card: Record<string, unknown>) =>
  ((card.actions ?? []) as { type: string; title: string; url: string }[]).find((a) => a.type === 'Action.OpenUrl');

describe('the send card’s download', () => {
  it('is offered when the send has more recipients than the card shows', () => {
    const data = sendCardData(aSend(MAX_CARD_ROWS + 10), linkFor);
    expect(data.download).toBe(linkFor('send-1'));
    expect(data.more).toBe('and 10 more recipients, all in the download');
    const card = renderer.render('send-result', data);
    expect(downloadOf(card)).toEqual({ type: 'Action.OpenUrl', title: 'Download all recipients (CSV)', url: linkFor('send-1') });
    expect(checkAdaptiveCard(card)).toEqual([]);
  });

  it('is offered, with a count of the failures left out, when more failed than the card lists', () => {
    const data = sendCardData(aSend(30, 25), linkFor);
    expect(data.failures).toHaveLength(MAX_CARD_ROWS);
    expect(data.download).toBe(linkFor('send-1'));
    expect(cardText(renderer.render('send-result', data))).toContain('and 5 more failed recipients, all in the download');
  });

  it('is not offered when the card shows every recipient', () => {
    const data = sendCardData(aSend(MAX_CARD_ROWS, 3), linkFor);
    expect(data.download).toBeUndefined();
    expect(data.more).toBeUndefined();
    expect(downloadOf(renderer.render('send-result', data))).toBeUndefined();
  });

  it('is not offered without a link maker, and the card says it shows the first ones only', () => {
    const data = sendCardData(aSend(30, 25));
    expect(data.download).toBeUndefined();
    const text = cardText(renderer.render('send-result', data));
    expect(text).toContain('and 10 more recipients: the card shows the first 20');
    expect(text).toContain('and 5 more failed recipients: the card lists the first 20');
  });

  it('is on the card the delivery worker renders after receipts, when RelayCards has the link maker', () => {
    const withLinks = createRelayCards({ cards: renderer, sendExports: { link: linkFor } });
    expect(downloadOf(withLinks.send(aSend(30)))?.url).toBe(linkFor('send-1'));
    expect(downloadOf(createRelayCards({ cards: renderer }).send(aSend(30)))).toBeUndefined();
  });
});
