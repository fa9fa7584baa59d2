import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** ClickSend's documented SMS/MMS/voice test numbers: accepted, never delivered, never charged. */
export const TEST_NUMBERS: ReadonlySet<string> = new Set([
  '+61411111111',
  '+61422222222',
  '+61433333333',
  '+61444444444',
  '+14055555555',
  '+14055555666',
  '+447777777777',
  '+8615555555555',
]);

export const TEST_FAX_NUMBERS: ReadonlySet<string> = new Set(['+61261111111', '+61262222222', '+61263333333']);

/** ClickSend's documented test postal codes for letters and postcards. */
export const TEST_POSTAL_CODES: ReadonlySet<string> = new Set(['11111', '22222', '33333']);

export const DEFAULT_COUNTRY: CountryCode = 'AU';

export type Recipient =
  | {
      readonly valid: true;
      readonly e164: string;
      readonly country: string;
      readonly landline: boolean;
      readonly test: boolean;
    }
  | { readonly valid: false; readonly input: string; readonly country: string };

const TEST_COUNTRY: Readonly<Record<string, string>> = { '+61': 'AU', '+1': 'US', '+44': 'GB', '+86': 'CN' };

const countryOfTestNumber = (e164: string): string =>
  Object.entries(TEST_COUNTRY).find(([prefix]) => e164.startsWith(prefix))?.[1] ?? DEFAULT_COUNTRY;

const asCountry = (country: string | undefined): CountryCode => {
  const upper = (country ?? '').trim().toUpperCase();
  // ClickSend's examples write "UK"; libphonenumber knows it as GB.
  const iso = upper === 'UK' ? 'GB' : upper;
  return (/^[A-Z]{2}$/.test(iso) ? iso : DEFAULT_COUNTRY) as CountryCode;
};

/** International numbers typed without `+` (`61411…`) or with the `00` prefix (`0061411…`). */
const internationalGuesses = (compact: string): string[] => {
  if (/^00[1-9]\d{6,14}$/.test(compact)) return [`+${compact.slice(2)}`];
  if (/^[1-9]\d{7,14}$/.test(compact)) return [`+${compact}`];
  return [];
};

/**
 * Whether `input` is a number ClickSend would send to, read in `country` (the message's, or AU)
 * when it is not international. Test numbers are always valid.
 */
export const parseRecipient = (input: string, country?: string, testNumbers = TEST_NUMBERS): Recipient => {
  const trimmed = input.trim();
  const compact = trimmed.replace(/[\s().-]/g, '');
  if (testNumbers.has(compact)) {
    return { valid: true, e164: compact, country: countryOfTestNumber(compact), landline: false, test: true };
  }
  const fallback = asCountry(country);
  const parsed = [trimmed, ...internationalGuesses(compact)]
    .map((candidate) => parsePhoneNumberFromString(candidate, fallback))
    .find((p) => p?.isValid());
  if (!parsed) return { valid: false, input: trimmed, country: fallback };
  const type = parsed.getType();
  return {
    valid: true,
    e164: parsed.number,
    country: parsed.country ?? fallback,
    landline: type === 'FIXED_LINE' || type === 'TOLL_FREE' || type === 'SHARED_COST',
    test: testNumbers.has(parsed.number),
  };
};

/** An E.164 form when `input` parses, else the input as given (for comparing rule numbers). */
export const normalizeNumber = (input: string): string => {
  const parsed = parsePhoneNumberFromString(input.trim(), DEFAULT_COUNTRY);
  return parsed?.number ?? input.trim();
};

/** Sender ids ClickSend accepts: a number, or an alpha tag of 3-11 letters, digits and pluses. */
export const isValidSender = (from: string): boolean =>
  /^[A-Za-z0-9+]{3,11}$/.test(from) || parseRecipient(from).valid;

const CARRIERS: Readonly<Record<string, string>> = {
  AU: 'Telstra',
  US: 'T-Mobile',
  GB: 'Vodafone',
  CN: 'China Mobile',
  NZ: 'Spark',
};

/** A plausible carrier name; ClickSend looks it up, the sandbox only needs something stable. */
export const carrierOf = (country: string): string => CARRIERS[country] ?? 'Unknown';
