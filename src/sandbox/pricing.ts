/**
 * Prices in AUD, taken from ClickSend's own examples where they show one (SMS 0.0792 per part,
 * voice 0.07); the rest are plausible. ClickSend sends `message_price` as a 4-decimal string and
 * `total_price` as a number, and so does the sandbox.
 */

export const PRICES = {
  smsPart: 0.0792,
  mms: 0.4015,
  voicePart: 0.07,
  faxPage: 0.198,
  letterPage: 1.12,
  letterColourPage: 0.35,
  letterPriority: 0.55,
  postcard: 1.99,
} as const;

export const CURRENCY = {
  currency_name_short: 'AUD',
  currency_prefix_d: '$',
  currency_prefix_c: 'c',
  currency_name_long: 'Australian Dollars',
  min_recharge_amount: '20.00',
  max_recharge_amount: '10000.00',
} as const;

/** ClickSend's `message_price` / `post_price` form: `"0.0792"`. */
export const priceString = (amount: number): string => amount.toFixed(4);

/** Sum without binary-fraction noise (0.0792 * 3 is 0.2376, not 0.23759999999999998). */
export const roundPrice = (amount: number): number => Math.round(amount * 10_000) / 10_000;

/** ClickSend's account `balance` form: `"4.998000"`. */
export const balanceString = (amount: number): string => amount.toFixed(6);
