import { describe, expect, it } from 'vitest';
import { isValidReplyLength, REPLY_MAX_CHARACTERS, REPLY_MAX_PARTS, replyLengthProblem, verifyReplyLength } from '../../src/domain/reply-length.js';
import { MessageLimitError } from '../../src/errors.js';

describe('reply length', () => {
  it('is 1,224 characters or 8 parts', () => {
    expect([REPLY_MAX_CHARACTERS, REPLY_MAX_PARTS]).toEqual([1224, 8]);
  });

  it.each([
    ['1,224 GSM characters', 'a'.repeat(1224), true],
    ['1,225 GSM characters', 'a'.repeat(1225), false],
    ['536 Unicode characters', 'Ж'.repeat(536), true],
    ['537 Unicode characters', 'Ж'.repeat(537), false],
    // 1,224 septets, but a € (2 septets) is never split: 76 a part, so 9 parts.
    ['612 euro signs', '€'.repeat(612), false],
  ])('takes %s: %s', (_name, text, fits) => {
    expect(isValidReplyLength(text)).toBe(fits);
  });

  it('says how long the reply is and how many parts it needs', () => {
    expect(replyLengthProblem('x'.repeat(1301))?.message).toBe(
      'Your reply is 1,301 characters (9 SMS parts); the most is 1,224 characters or 8 parts. Nothing was sent.',
    );
  });

  it('says why a Unicode reply needs more parts', () => {
    expect(replyLengthProblem('Ж'.repeat(630))?.message).toBe(
      'Your reply is 630 characters (10 SMS parts); the most is 1,224 characters or 8 parts. ' +
        'It goes as Unicode, because of "Ж" U+0416, so a part holds 67 characters (536 in 8 parts). Nothing was sent.',
    );
  });

  it('throws a MessageLimitError on body with the parts', () => {
    const error = (() => {
      try {
        verifyReplyLength('x'.repeat(2000));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MessageLimitError);
    expect(error).toMatchObject({ field: 'body', limit: 8, actual: 14 });
  });
});
