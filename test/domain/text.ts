import { MessageLimitError } from '../../src/errors.js';

/** `n` GSM-7 characters. */
export const gsm = (n: number) => 'a'.repeat(n);
/** `n` characters that force UCS-2: "ş" is outside GSM 03.38 yet one UTF-16 unit. */
export const ucs = (n: number) => 'ş'.repeat(n);

/** The MessageLimitError `fn` throws; fails when it throws nothing or something else. */
export const thrown = (fn: () => void): MessageLimitError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MessageLimitError) return error;
    throw error;
  }
  throw new Error('expected a MessageLimitError');
};
