import { describe, it, expect, vi } from 'vitest';
import { InvalidPhoneNumberError } from '../../src/errors.js';
import {
  CLICKSEND_TEST_FAX_NUMBERS,
  CLICKSEND_TEST_NUMBERS,
  E164Schema,
  isClickSendTestNumber,
  isSupportedCountry,
  isValidPhoneNumber,
  maskPhoneNumber,
  parsePhoneNumber,
  phoneNumberInput,
  type CountryCode,
} from '../../src/domain/phone.js';

const reasonFor = (input: string, country: CountryCode): string => {
  try {
    parsePhoneNumber(input, country);
  } catch (error) {
    if (error instanceof InvalidPhoneNumberError) return error.reason;
    throw error;
  }
  throw new Error(`expected "${input}" to be refused`);
};

describe('parsePhoneNumber', () => {
  it.each<[string, CountryCode, string]>([
    ['0411 111 111', 'AU', '+61411111111'],
    ['+61 411 111 111', 'AU', '+61411111111'],
    ['+61 (0)411 111 111', 'AU', '+61411111111'],
    ['0411-111-111', 'AU', '+61411111111'],
    ['0411.111.111', 'AU', '+61411111111'],
    ['  0411\u00a0111\u00a0111  ', 'AU', '+61411111111'],
    ['(405) 555-5555', 'US', '+14055555555'],
    ['(212) 736-5000', 'US', '+12127365000'],
    ['07400 123456', 'GB', '+447400123456'],
    ['030 12345678', 'DE', '+493012345678'],
    ['0151 23456789', 'DE', '+4915123456789'],
    ['098765 43210', 'IN', '+919876543210'],
    ['021 123 4567', 'NZ', '+64211234567'],
    ['+49 30 12345678', 'AU', '+493012345678'],
  ])('reads %j with default country %s as %s', (input, country, expected) => {
    expect(parsePhoneNumber(input, country)).toBe(expected);
  });

  it.each<[string, CountryCode, string]>([
    ['0044 7400 123456', 'AU', '+447400123456'],
    ['00 49 30 12345678', 'DE', '+493012345678'],
    ['001 405 555 5555', 'GB', '+14055555555'],
  ])('reads the leading 00 of %j as the international prefix', (input, country, expected) => {
    expect(parsePhoneNumber(input, country)).toBe(expected);
  });

  it("also understands a country's own international prefix, such as Australia's 0011", () => {
    expect(parsePhoneNumber('0011 44 7400 123456', 'AU')).toBe('+447400123456');
  });

  it.each<[string, CountryCode, string]>([
    ['', 'AU', 'it is empty'],
    ['   ', 'AU', 'it is empty'],
    ['0411 ABC 111', 'AU', 'it contains letters'],
    ['1-800-FLOWERS', 'US', 'it contains letters'],
    ['+61 411#111', 'AU', 'it may only contain digits, spaces, dashes, dots, parentheses and a leading +'],
    ['61+411111111', 'AU', 'it may only contain digits, spaces, dashes, dots, parentheses and a leading +'],
    ['+', 'AU', 'it is too short'],
    ['+1', 'US', 'it is too short'],
    ['04', 'AU', 'it is too short'],
    ['+61 4111 1111 1111 1111', 'AU', 'it is too long'],
    ['+999 123 4567', 'AU', 'its country calling code is unknown'],
    ['0411 111 1111', 'AU', 'it is not a valid number for Australia'],
    ['+1 055 555 5555', 'US', 'it is not a valid number for country calling code +1'],
    // Ofcom's range for drama: libphonenumber knows these are never assigned.
    ['07700 900123', 'GB', 'it is not a valid number for United Kingdom'],
  ])('refuses %j (default %s) because %s', (input, country, reason) => {
    expect(reasonFor(input, country)).toBe(reason);
    expect(isValidPhoneNumber(input, country)).toBe(false);
  });

  it('throws an InvalidPhoneNumberError that carries the input and the reason', () => {
    expect(() => parsePhoneNumber('0411', 'AU')).toThrow(InvalidPhoneNumberError);
    expect(() => parsePhoneNumber('abc', 'AU')).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_PHONE_NUMBER',
        input: 'abc',
        reason: 'it contains letters',
        message: '"abc" is not a valid phone number: it contains letters',
      }),
    );
  });

  it('answers isValidPhoneNumber without throwing', () => {
    expect(isValidPhoneNumber('0411 111 111', 'AU')).toBe(true);
  });
});

describe('ClickSend test numbers', () => {
  const all = [...CLICKSEND_TEST_NUMBERS, ...CLICKSEND_TEST_FAX_NUMBERS];

  it('lists the 8 SMS and 3 fax numbers ClickSend documents', () => {
    expect(CLICKSEND_TEST_NUMBERS).toHaveLength(8);
    expect(CLICKSEND_TEST_FAX_NUMBERS).toEqual(['+61261111111', '+61262222222', '+61263333333']);
  });

  it.each(all)('accepts %s whatever the default country', (number) => {
    for (const country of ['AU', 'US', 'DE'] as const) expect(parsePhoneNumber(number, country)).toBe(number);
    expect(isClickSendTestNumber(number)).toBe(true);
  });

  it('does not treat a neighbouring number as a test number', () => {
    expect(isClickSendTestNumber('+61411111112')).toBe(false);
  });

  it('accepts the test numbers even if the phone metadata called them invalid', async () => {
    vi.resetModules();
    vi.doMock('libphonenumber-js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('libphonenumber-js')>()),
      validatePhoneNumberLength: () => 'TOO_LONG',
      parsePhoneNumberFromString: () => undefined,
    }));
    try {
      const phone = await import('../../src/domain/phone.js');
      for (const number of all) expect(phone.parsePhoneNumber(number, 'AU')).toBe(number);
      expect(phone.isValidPhoneNumber('+61411111112', 'AU')).toBe(false);
    } finally {
      vi.doUnmock('libphonenumber-js');
      vi.resetModules();
    }
  });
});

describe('phoneNumberInput', () => {
  it('turns a local number into E.164', () => {
    expect(phoneNumberInput('AU').parse('0411 111 111')).toBe('+61411111111');
  });

  it('reports the same reason as parsePhoneNumber as its issue', () => {
    const result = phoneNumberInput('AU').safeParse('+999 123 4567');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('its country calling code is unknown');
  });
});

describe('E164Schema', () => {
  it('accepts E.164 and refuses national formats and a leading zero after +', () => {
    expect(E164Schema.safeParse('+61411111111').success).toBe(true);
    expect(E164Schema.safeParse('0411111111').success).toBe(false);
    expect(E164Schema.safeParse('+0411111111').success).toBe(false);
    expect(E164Schema.safeParse('+61 411 111 111').success).toBe(false);
  });
});

describe('isSupportedCountry', () => {
  it.each(['AU', 'US', 'GB', 'DE', 'IN', 'NZ'])('accepts %s', (code) => {
    expect(isSupportedCountry(code)).toBe(true);
  });

  it.each(['au', 'Au', 'ZZ', 'AUS', '001', ''])('refuses %j', (code) => {
    expect(isSupportedCountry(code)).toBe(false);
  });
});

describe('maskPhoneNumber', () => {
  it.each([
    ['+61411111111', '+61******111'],
    ['+14055555555', '+1*******555'],
    ['+447777777777', '+44*******777'],
    ['+8615555555555', '+86********555'],
    ['0411111111', '*******111'],
  ])('masks %s as %s', (input, masked) => {
    expect(maskPhoneNumber(input)).toBe(masked);
  });

  it('shows no digits of a number too short to hide', () => {
    expect(maskPhoneNumber('+61411')).toBe('+61***');
  });

  it('hides a sender ID without digits entirely', () => {
    expect(maskPhoneNumber('ClickSend')).toBe('***');
  });
});

describe('maskPhoneNumber without a parse', () => {
  it('keeps the country calling code libphonenumber finds, for numbers of every country', async () => {
    const { getCountries, getExampleNumber } = await import('libphonenumber-js');
    const examples = (await import('libphonenumber-js/mobile/examples')).default;
    for (const country of getCountries()) {
      const example = getExampleNumber(country, examples);
      if (!example) continue;
      const e164 = example.number;
      expect(maskPhoneNumber(e164).startsWith(`+${example.countryCallingCode}*`), `${country} ${e164}`).toBe(true);
    }
  });
});
