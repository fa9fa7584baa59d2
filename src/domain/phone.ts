import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry as libIsSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js';
import { z } from 'zod';
import { InvalidPhoneNumberError } from '../errors.js';

export type { CountryCode } from 'libphonenumber-js';

/** A phone number in E.164 (`+61411111111`); only parsePhoneNumber and the schema make one. */
export const E164Schema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'use a phone number in international format, such as +61411111111')
  .brand<'E164'>();
export type E164 = z.infer<typeof E164Schema>;

/**
 * ClickSend's documented test numbers: free, and never delivered. libphonenumber-js 1.13.16
 * (min metadata, the default) calls all eleven valid today - AU 04 mobiles, US 405-555-55xx as
 * fixed-line-or-mobile, UK 07777 and China 155 mobiles, Canberra 02 61xx landlines (only its
 * `mobile` build rejects the fax ones). They are still allowed by name, before any metadata
 * check: a metadata update that treats 555 numbers as fictional (as it already does Ofcom's
 * 07700 900xxx drama range) must never break tests and demos that use them.
 */
export const CLICKSEND_TEST_NUMBERS: readonly E164[] = [
  '+61411111111', '+61422222222', '+61433333333', '+61444444444',
  '+14055555555', '+14055555666', '+447777777777', '+8615555555555',
].map((n) => E164Schema.parse(n));

export const CLICKSEND_TEST_FAX_NUMBERS: readonly E164[] = ['+61261111111', '+61262222222', '+61263333333'].map((n) =>
  E164Schema.parse(n),
);

const TEST_NUMBERS = new Set<string>([...CLICKSEND_TEST_NUMBERS, ...CLICKSEND_TEST_FAX_NUMBERS]);

/** True for any ClickSend test number, SMS/voice or fax, given in E.164. */
export const isClickSendTestNumber = (n: string): n is E164 => TEST_NUMBERS.has(n);

/** Upper-case ISO 3166 alpha-2 codes libphonenumber has metadata for ("au" is refused). */
export const isSupportedCountry = (value: string): value is CountryCode =>
  /^[A-Z]{2}$/.test(value) && libIsSupportedCountry(value);

type Outcome = { readonly ok: true; readonly value: E164 } | { readonly ok: false; readonly reason: string };

const fail = (reason: string): Outcome => ({ ok: false, reason });

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const regionName = (country: CountryCode): string => regionNames.of(country) ?? country;

// Spaces (any, NBSP included), ASCII and typographic dashes, dots and parentheses, as people
// type and paste numbers; libphonenumber also copes with "+61 (0)4..." once they are gone.
const SEPARATORS = /[\s\-\u2010-\u2015.()]/gu;

/** One reading of the digits: E.164 (`+...`) or national for the default country. */
const check = (candidate: string, defaultCountry: CountryCode): Outcome => {
  if (isClickSendTestNumber(candidate)) return { ok: true, value: candidate };
  switch (validatePhoneNumberLength(candidate, defaultCountry)) {
    case 'INVALID_COUNTRY':
      return fail('its country calling code is unknown');
    case 'NOT_A_NUMBER':
    case 'TOO_SHORT':
      return fail('it is too short');
    case 'TOO_LONG':
      return fail('it is too long');
    case 'INVALID_LENGTH':
    case undefined:
      break;
  }
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry);
  if (parsed === undefined) return fail('it is too short');
  if (isClickSendTestNumber(parsed.number)) return { ok: true, value: parsed.number };
  if (!parsed.isValid()) {
    const country = parsed.country ?? (candidate.startsWith('+') ? undefined : defaultCountry);
    const where = country ? regionName(country) : `country calling code +${parsed.countryCallingCode}`;
    return fail(`it is not a valid number for ${where}`);
  }
  const e164 = E164Schema.safeParse(parsed.number);
  return e164.success ? { ok: true, value: e164.data } : fail('it is too short');
};

const analyse = (input: string, defaultCountry: CountryCode): Outcome => {
  const trimmed = input.trim();
  if (trimmed === '') return fail('it is empty');
  if (/\p{L}/u.test(trimmed)) return fail('it contains letters');
  const compact = trimmed.replace(SEPARATORS, '');
  if (/^\+?$/.test(compact)) return fail('it is too short');
  if (!/^\+?\d+$/.test(compact)) {
    return fail('it may only contain digits, spaces, dashes, dots, parentheses and a leading +');
  }
  if (!compact.startsWith('00')) return check(compact, defaultCountry);
  // "00" is the international prefix in most of the world, so read it as "+" first. Where the
  // local prefix differs (Australia dials 0011), libphonenumber knows it: try that reading too.
  const international = check(`+${compact.slice(2)}`, defaultCountry);
  if (international.ok) return international;
  const local = check(compact, defaultCountry);
  return local.ok ? local : international;
};

/**
 * Reads a number typed in Teams: E.164, national format for `defaultCountry`, or with a
 * leading 00, with spaces, dashes, dots and parentheses. Throws InvalidPhoneNumberError whose
 * `reason` says what is wrong ("it is too short", "it is not a valid number for Australia").
 */
export const parsePhoneNumber = (input: string, defaultCountry: CountryCode): E164 => {
  const outcome = analyse(input, defaultCountry);
  if (!outcome.ok) throw new InvalidPhoneNumberError(input, outcome.reason);
  return outcome.value;
};

export const isValidPhoneNumber = (input: string, defaultCountry: CountryCode): boolean =>
  analyse(input, defaultCountry).ok;

/** `string -> E164` for cards and forms; the issue message is the same reason parsePhoneNumber gives. */
export const phoneNumberInput = (defaultCountry: CountryCode) =>
  z.string().transform((input, ctx): E164 => {
    const outcome = analyse(input, defaultCountry);
    if (outcome.ok) return outcome.value;
    ctx.addIssue({ code: 'custom', message: outcome.reason, input });
    return z.NEVER;
  });

/** Every country calling code (1 to 3 digits; no code is the start of another, as ITU assigns them). */
const CALLING_CODES = new Set<string>(getCountries().map((country) => getCountryCallingCode(country)));

const callingCodeOf = (digits: string): string => [1, 2, 3].map((n) => digits.slice(0, n)).find((prefix) => CALLING_CODES.has(prefix)) ?? '';

/**
 * For logs (numbers are personal data): keeps "+", the country calling code and the last 3
 * digits, `+61411111111` -> `+61******111`. Never throws; text without digits (an alpha
 * sender ID) becomes "***".
 */
export const maskPhoneNumber = (n: string): string => {
  const digits = n.replace(/\D/g, '');
  if (digits === '') return '***';
  const international = n.trim().startsWith('+');
  // A prefix lookup, not a parse: every log line above debug masks its numbers.
  const code = international ? callingCodeOf(digits) : '';
  const rest = digits.slice(code.length);
  const shown = rest.length > 3 ? rest.slice(-3) : '';
  return `${international ? '+' : ''}${code}${'*'.repeat(rest.length - shown.length)}${shown}`;
};
