/** ClickSend's currency block, as far as showing an amount needs it. */
export interface CurrencyInfo {
  readonly currency_name_short: string;
  readonly currency_prefix_d: string;
}

/**
 * An amount as a person reads it: `$0.0792 AUD`, `$12.50 AUD`. Per-message prices are
 * fractions of a cent, so amounts under 1 keep four decimals; larger ones two.
 */
export const formatMoney = (amount: number, currency?: CurrencyInfo): string => {
  const digits = Math.abs(amount) < 1 && amount !== 0 ? 4 : 2;
  const number = amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return currency ? `${currency.currency_prefix_d}${number} ${currency.currency_name_short}` : number;
};
