import { describe, expect, it } from 'vitest';
import { CARD_ID_FIELD, cardIdOf, withCardId } from '../../src/cards/card-id.js';
import type { AdaptiveCardJson } from '../../src/cards/types.js';

const card = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'Container', selectAction: { type: 'Action.Execute', verb: 'contacts.page', data: { page: 2 } }, items: [] },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', verb: 'list.delete', data: { list_id: '7', [CARD_ID_FIELD]: 'copied-from-an-earlier-card' } }] },
  ],
  actions: [
    { type: 'Action.Execute', verb: 'sms.send' },
    { type: 'Action.Submit', data: 'a string has no field to add' },
    { type: 'Action.OpenUrl', url: 'https://example.com' },
    { type: 'Action.ShowCard', card: { type: 'AdaptiveCard', version: '1.5', actions: [{ type: 'Action.Submit', data: { verb: 'form.cancel' } }] } },
  ],
} as const satisfies AdaptiveCardJson;

const dataOf = (stamped: AdaptiveCardJson) => {
  const found: unknown[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      if (record['type'] === 'Action.Execute' || record['type'] === 'Action.Submit') found.push(record['data']);
      Object.values(record).forEach(walk);
    }
  };
  walk(stamped);
  return found;
};

describe('withCardId', () => {
  it('gives every button of a card, nested ones too, one new card id, keeping the rest of its data', () => {
    const stamped = withCardId(card);
    const id = cardIdOf(dataOf(stamped)[0] as Record<string, unknown>);
    expect(id).toMatch(/^[\w-]{22}$/);
    expect(dataOf(stamped)).toEqual([
      { page: 2, [CARD_ID_FIELD]: id },
      { list_id: '7', [CARD_ID_FIELD]: id },
      { [CARD_ID_FIELD]: id },
      'a string has no field to add',
      { verb: 'form.cancel', [CARD_ID_FIELD]: id },
    ]);
  });

  it('makes a new id each time and leaves the card it was given as it was', () => {
    const before = JSON.stringify(card);
    const [a, b] = [withCardId(card), withCardId(card)];
    expect(cardIdOf(dataOf(a)[2] as Record<string, unknown>)).not.toBe(cardIdOf(dataOf(b)[2] as Record<string, unknown>));
    expect(JSON.stringify(card)).toBe(before);
  });
});

describe('cardIdOf', () => {
  it('reads only an id of the shape the bot makes', () => {
    expect(cardIdOf({ [CARD_ID_FIELD]: 'AAAAAAAAAAAAAAAAAAAAAA' })).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    for (const value of [undefined, '', 'short', 'A'.repeat(23), 'AAAAAAAAAAAAAAAAAAAA/=', 42, ['AAAAAAAAAAAAAAAAAAAAAA']]) {
      expect(cardIdOf({ [CARD_ID_FIELD]: value })).toBeUndefined();
    }
  });
});
