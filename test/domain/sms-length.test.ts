import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { gsm, thrown, ucs } from './text.js';
import {
  ALWAYS_FITS_IN_8_PARTS,
  createSmsBodySchema,
  isValidSmsBody,
  measureSms,
  smsBodySchema,
  verifySmsBody,
} from '../../src/domain/sms-length.js';


describe('measureSms with GSM text', () => {
  it.each([
    [160, 1, 160, 0],
    [161, 2, 153, 145],
    [306, 2, 153, 0],
    [307, 3, 153, 152],
    [1224, 8, 153, 0],
    [1225, 9, 153, 152],
  ])('splits %i characters into %i parts', (length, parts, unitsPerPart, remainingInPart) => {
    expect(measureSms(gsm(length))).toEqual({
      encoding: 'GSM-7',
      units: length,
      parts,
      unitsPerPart,
      remainingInPart,
      maxUnits: 1224,
    });
  });

  it('reports an empty text as zero parts with a whole SMS to fill', () => {
    expect(measureSms('')).toMatchObject({ units: 0, parts: 0, remainingInPart: 160 });
  });

  it('counts every character of the basic GSM table as one septet', () => {
    const basic =
      '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
    expect(measureSms(basic)).toMatchObject({ encoding: 'GSM-7', units: 125 });
  });

  it.each(['^', '{', '}', '\\', '[', ']', '~', '|', '€', '\f'])('counts the extension character %j as 2 septets', (char) => {
    expect(measureSms(char)).toMatchObject({ encoding: 'GSM-7', units: 2 });
  });

  it('fits 80 euro signs in one SMS but not 81', () => {
    expect(measureSms('€'.repeat(80)).parts).toBe(1);
    expect(measureSms('€'.repeat(81))).toMatchObject({ units: 162, parts: 2 });
  });

  it('moves an extension character that would straddle two parts whole into the next part', () => {
    const text = gsm(152) + '€' + gsm(10);
    expect(measureSms(text)).toMatchObject({ units: 164, parts: 2, remainingInPart: 153 - 12 });
  });

  it('needs a ninth part for 1,224 septets when an extension character cannot be split', () => {
    const text = gsm(152) + '€' + gsm(1224 - 154);
    expect(measureSms(text)).toMatchObject({ units: 1224, parts: 9 });
    expect(isValidSmsBody(text)).toBe(false);
  });

  it('treats the lower-case ç as Unicode because GSM 03.38 only has Ç', () => {
    expect(measureSms('Ç').encoding).toBe('GSM-7');
    expect(measureSms('ç').encoding).toBe('UCS-2');
  });
});

describe('measureSms with line breaks', () => {
  it.each([
    ['a lone \\n', 'a\nb'],
    ['a lone \\r', 'a\rb'],
    ['a \\r\\n pair', 'a\r\nb'],
  ])('counts %s as 2 characters', (_name, text) => {
    expect(measureSms(text)).toMatchObject({ encoding: 'GSM-7', units: 4 });
  });

  it('fits 80 line breaks in one SMS', () => {
    expect(measureSms('\n'.repeat(80))).toMatchObject({ units: 160, parts: 1 });
    expect(measureSms('\r\n'.repeat(81))).toMatchObject({ units: 162, parts: 2 });
  });

  it('counts a line break as 2 in Unicode text too', () => {
    expect(measureSms('ş\nş')).toMatchObject({ encoding: 'UCS-2', units: 4 });
  });
});

describe('measureSms with Unicode text', () => {
  it.each([
    [70, 1, 70, 0],
    [71, 2, 67, 63],
    [134, 2, 67, 0],
    [135, 3, 67, 66],
    [536, 8, 67, 0],
    [537, 9, 67, 66],
  ])('splits %i UCS-2 characters into %i parts', (length, parts, unitsPerPart, remainingInPart) => {
    expect(measureSms(ucs(length))).toEqual({
      encoding: 'UCS-2',
      units: length,
      parts,
      unitsPerPart,
      remainingInPart,
      maxUnits: 536,
    });
  });

  it('switches the whole message to UCS-2 for one character outside GSM', () => {
    expect(measureSms(gsm(100) + '’')).toMatchObject({ encoding: 'UCS-2', units: 101, parts: 2 });
  });

  it('counts an emoji outside the BMP as 2 units', () => {
    expect(measureSms('😀')).toMatchObject({ encoding: 'UCS-2', units: 2 });
    expect(measureSms('😀'.repeat(35))).toMatchObject({ units: 70, parts: 1 });
    expect(measureSms('😀'.repeat(36))).toMatchObject({ units: 72, parts: 2 });
  });

  it('never splits a surrogate pair across parts', () => {
    expect(measureSms(ucs(66) + '😀' + ucs(10))).toMatchObject({ units: 78, parts: 2, remainingInPart: 67 - 12 });
  });

  it('needs a ninth part for 536 units when a surrogate pair cannot be split', () => {
    const text = ucs(66) + '😀' + ucs(536 - 68);
    expect(measureSms(text)).toMatchObject({ units: 536, parts: 9 });
  });
});

describe('verifySmsBody', () => {
  it('accepts 1,224 GSM characters and 536 Unicode characters', () => {
    expect(() => verifySmsBody(gsm(1224))).not.toThrow();
    expect(() => verifySmsBody(ucs(536))).not.toThrow();
    expect(isValidSmsBody(gsm(1224))).toBe(true);
  });

  it('refuses a ninth part with a sentence a Teams user understands', () => {
    const error = thrown(() => verifySmsBody(gsm(1300)));
    expect(error.message).toBe(
      'The message is 1,300 characters long (GSM), which needs 9 SMS parts; the limit is 8 parts (1,224 characters).',
    );
    expect(error).toMatchObject({ code: 'ERR_MESSAGE_LIMIT', field: 'body', limit: 8, actual: 9 });
  });

  it('names the character that made a message Unicode', () => {
    const error = thrown(() => verifySmsBody(`${gsm(536)}’`));
    expect(error.message).toBe(
      'The message is 537 characters long (Unicode, because of "’" U+2019), which needs 9 SMS parts; ' +
        'the limit is 8 parts (536 characters).',
    );
  });

  it('applies a lower part cap from the account settings', () => {
    expect(() => verifySmsBody(gsm(160), { maxParts: 1 })).not.toThrow();
    expect(thrown(() => verifySmsBody(gsm(161), { maxParts: 1 })).message).toBe(
      'The message is 161 characters long (GSM), which needs 2 SMS parts; the limit is 1 part (160 characters).',
    );
    expect(isValidSmsBody(gsm(307), { maxParts: 2 })).toBe(false);
  });

  it.each(['', '   ', ' \r\n\t '])('refuses an empty or blank message (%j)', (text) => {
    const error = thrown(() => verifySmsBody(text));
    expect(error.message).toBe('The message is empty.');
    expect(error.field).toBe('body');
    expect(isValidSmsBody(text)).toBe(false);
  });
});

describe('smsBodySchema', () => {
  it('passes a message that fits through unchanged', () => {
    expect(smsBodySchema.parse('Hello from Teams')).toBe('Hello from Teams');
  });

  it('reports the same sentence as verifySmsBody as its issue', () => {
    const result = smsBodySchema.safeParse(gsm(1225));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(thrown(() => verifySmsBody(gsm(1225))).message);
    expect(smsBodySchema.safeParse(' ').error?.issues[0]?.message).toBe('The message is empty.');
  });

  it('can be built for an account that allows fewer parts', () => {
    expect(createSmsBodySchema({ maxParts: 2 }).safeParse(gsm(307)).success).toBe(false);
  });
});

describe('the short-text shortcut', () => {
  it('is right: any text of at most ALWAYS_FITS_IN_8_PARTS code units measures 8 parts or fewer', () => {
    const tricky = fc.constantFrom('a', '€', '\n', '\r\n', '^', '😀', 'é', '中', '{', '\u0000', ' ');
    fc.assert(
      fc.property(fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 300 }), (pieces) => {
        const text = pieces.join('').slice(0, ALWAYS_FITS_IN_8_PARTS);
        // A lone high surrogate left by the cut still counts as a unit of its own.
        expect(measureSms(text).parts).toBeLessThanOrEqual(8);
      }),
      { numRuns: 2_000 },
    );
    expect(measureSms('😀'.repeat(ALWAYS_FITS_IN_8_PARTS / 2)).parts).toBeLessThanOrEqual(8);
    expect(measureSms('€'.repeat(ALWAYS_FITS_IN_8_PARTS)).parts).toBeLessThanOrEqual(8);
  });
});
