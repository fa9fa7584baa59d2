import type { MessageLimitError } from '../errors.js';
import { formatCount, limitProblem, validator, verifier, type LimitCheck } from './limit-check.js';
import { measureSms, SMS_MAX_PARTS, SMS_UNITS } from './sms-length.js';
import { describeEncoding } from './text-units.js';

/**
 * How long a reply to a customer may be: what ClickSend sends as one SMS of at most 8 parts,
 * 1,224 GSM characters (8 x 153), fewer when the text needs Unicode (8 x 67 = 536). The card's
 * Reply field has no limit of its own: Teams would cut a pasted text short without a word,
 * so the whole text comes here and is refused with its length and parts instead.
 */
export const REPLY_MAX_PARTS = SMS_MAX_PARTS;
export const REPLY_MAX_CHARACTERS = SMS_UNITS['GSM-7'].perPart * REPLY_MAX_PARTS;

const partWord = (n: number) => (n === 1 ? 'SMS part' : 'SMS parts');

/** A reply over 8 parts, as the problem a person reads ("Your reply is 1,301 characters (9 SMS parts); ..."); nothing when it fits. */
export const replyLengthProblem: LimitCheck = (text): MessageLimitError | undefined => {
  const { encoding, units, parts } = measureSms(text);
  if (parts <= REPLY_MAX_PARTS && units <= REPLY_MAX_CHARACTERS) return undefined;
  const unicode =
    encoding === 'UCS-2'
      ? ` It goes as ${describeEncoding(text)}, so a part holds ${SMS_UNITS['UCS-2'].perPart} characters ` +
        `(${formatCount(SMS_UNITS['UCS-2'].perPart * REPLY_MAX_PARTS)} in ${REPLY_MAX_PARTS} parts).`
      : '';
  return limitProblem(
    'body',
    REPLY_MAX_PARTS,
    parts,
    `Your reply is ${formatCount(units)} characters (${formatCount(parts)} ${partWord(parts)}); ` +
      `the most is ${formatCount(REPLY_MAX_CHARACTERS)} characters or ${REPLY_MAX_PARTS} parts.${unicode} Nothing was sent.`,
  );
};

export const verifyReplyLength: (text: string) => void = verifier(replyLengthProblem);
export const isValidReplyLength = validator(replyLengthProblem);
