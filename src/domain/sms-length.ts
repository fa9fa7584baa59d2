import { characterWeights, describeEncoding, type TextEncoding } from './text-units.js';
import { formatCount, limitProblem, limitSchema, validator, verifier, type LimitCheck } from './limit-check.js';

/**
 * SMS segmenting as ClickSend bills it. A long message travels as concatenated parts whose
 * header (UDH) takes 7 septets / 3 UCS-2 units, hence 153 / 67 per part instead of 160 / 70.
 */

/** ClickSend's ceiling: 8 parts (1,224 GSM / 536 Unicode characters). */
export const SMS_MAX_PARTS = 8;

export const SMS_UNITS = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const satisfies Record<TextEncoding, { single: number; perPart: number }>;

export interface SmsMeasure {
  readonly encoding: TextEncoding;
  /** Characters as ClickSend counts them (septets, or UTF-16 units for UCS-2). */
  readonly units: number;
  /** Billed parts; 0 for an empty text. */
  readonly parts: number;
  /** 160 / 70 while the text fits one SMS, 153 / 67 once it is split. */
  readonly unitsPerPart: number;
  /** Room left in the last part before another part starts. */
  readonly remainingInPart: number;
  /** The most this encoding allows in 8 parts: 1,224 or 536. */
  readonly maxUnits: number;
}

export interface SmsBodyOptions {
  /** The account's part cap (`setting_sms_message_char_limit` may be lower than 8). */
  readonly maxParts?: number;
}

/**
 * Parts are packed greedily, but an extension character, a surrogate pair or a line break is
 * never cut in two: when it does not fit, the part ends early, as handsets do. So a text can
 * need one part more than units / 153 suggests.
 */
const packParts = (weights: readonly number[], perPart: number): { parts: number; lastFill: number } => {
  let parts = 1;
  let fill = 0;
  for (const weight of weights) {
    if (fill + weight > perPart) {
      parts += 1;
      fill = 0;
    }
    fill += weight;
  }
  return { parts, lastFill: fill };
};

export const measureSms = (text: string): SmsMeasure => {
  const { encoding, weights } = characterWeights(text);
  const { single, perPart } = SMS_UNITS[encoding];
  const units = weights.reduce((sum, w) => sum + w, 0);
  const maxUnits = perPart * SMS_MAX_PARTS;
  if (units <= single) {
    return { encoding, units, parts: units === 0 ? 0 : 1, unitsPerPart: single, remainingInPart: single - units, maxUnits };
  }
  const { parts, lastFill } = packParts(weights, perPart);
  return { encoding, units, parts, unitsPerPart: perPart, remainingInPart: perPart - lastFill, maxUnits };
};

/**
 * A text of at most this many UTF-16 code units fits in 8 parts whatever it holds: no code unit
 * counts more than 2 units, and 8 UCS-2 parts hold 8 x 66 = 528 units even when no character
 * may be split across parts. Sends check this on every message, so the common short text skips
 * the full measurement.
 */
export const ALWAYS_FITS_IN_8_PARTS = 264;

const checkSmsBody =
  ({ maxParts = SMS_MAX_PARTS }: SmsBodyOptions = {}): LimitCheck =>
  (text) => {
    if (text.trim() === '') return limitProblem('body', 1, 0, 'The message is empty.');
    if (maxParts >= SMS_MAX_PARTS && text.length <= ALWAYS_FITS_IN_8_PARTS) return undefined;
    const { encoding, units, parts } = measureSms(text);
    if (parts <= maxParts) return undefined;
    const { single, perPart } = SMS_UNITS[encoding];
    const limitUnits = maxParts === 1 ? single : perPart * maxParts;
    const partWord = (n: number) => (n === 1 ? 'part' : 'parts');
    return limitProblem(
      'body',
      maxParts,
      parts,
      `The message is ${formatCount(units)} characters long (${describeEncoding(text)}), ` +
        `which needs ${formatCount(parts)} SMS ${partWord(parts)}; ` +
        `the limit is ${formatCount(maxParts)} ${partWord(maxParts)} (${formatCount(limitUnits)} characters).`,
    );
  };

/**
 * Throws `MessageLimitError` (field `body`, limit/actual in parts; 1/0 when empty) before
 * anything is sent, so an over-long text costs nothing.
 */
export const verifySmsBody = (text: string, options: SmsBodyOptions = {}): void => verifier(checkSmsBody(options))(text);

export const isValidSmsBody = (text: string, options: SmsBodyOptions = {}): boolean =>
  validator(checkSmsBody(options))(text);

/** The SMS body checks as zod issues, for a card or form; pass the account's part cap if lower. */
export const createSmsBodySchema = (options: SmsBodyOptions = {}) => limitSchema(checkSmsBody(options));

export const smsBodySchema = createSmsBodySchema();
