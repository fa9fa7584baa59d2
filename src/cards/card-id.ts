import { randomBytes } from 'node:crypto';
import type { AdaptiveCardJson } from './types.js';

/**
 * Every card the bot sends carries a random id in the data of each of its buttons: a click
 * then names the card it was made on, however Teams delivers it (retried invokes carry new
 * activity ids, and some clients send no `replyToId`). The field is no input id: those are
 * ClickSend's parameter names, and none begins with an underscore.
 */
export const CARD_ID_FIELD = '_card';

const CARD_ID = /^[\w-]{22}$/;

/** 128 random bits, base64url. */
const newCardId = (): string => randomBytes(16).toString('base64url');

/** The card id a submission carries, when it is one we could have made (anything else counts as none). */
export const cardIdOf = (data: Readonly<Record<string, unknown>>): string | undefined => {
  const id = data[CARD_ID_FIELD];
  return typeof id === 'string' && CARD_ID.test(id) ? id : undefined;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of `card` whose every Action.Execute and Action.Submit (in actions, action sets, select
 * actions and shown cards) carries one new card id, replacing any id copied from an earlier
 * card's data. An Action.Submit whose data is a string is left alone: it has no field to add.
 */
export const withCardId = (card: AdaptiveCardJson): AdaptiveCardJson => {
  const id = newCardId();
  const stamp = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stamp);
    if (!isRecord(node)) return node;
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, stamp(value)]));
    if (copy['type'] !== 'Action.Execute' && copy['type'] !== 'Action.Submit') return copy;
    if (copy['data'] !== undefined && !isRecord(copy['data'])) return copy;
    return { ...copy, data: { ...(copy['data'] as Record<string, unknown> | undefined), [CARD_ID_FIELD]: id } };
  };
  return stamp(card) as AdaptiveCardJson;
};
