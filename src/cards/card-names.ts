import type { CardName } from './types.js';

/** Every card template, i.e. every key of `CardData`; `cards/<name>.json` must exist for each. */
export const cardNames = [
  'welcome',
  'help',
  'error',
  'sms-form',
  'mms-form',
  'voice-form',
  'fax-form',
  'letter-form',
  'postcard-form',
  'list-form',
  'contact-form',
  'confirm',
  'send-result',
  'lists',
  'contacts',
  'done',
  'inbound-sms',
  'outbound-sms',
  'links',
  'audit',
] as const satisfies readonly CardName[];

// Fails to compile when CardData gains a card that is not listed above.
type Missing = Exclude<CardName, (typeof cardNames)[number]>;
const _allListed: Missing extends never ? true : Missing = true;
void _allListed;

export const isCardName = (name: string): name is CardName => (cardNames as readonly string[]).includes(name);
