/**
 * How ClickSend counts the characters of a message: the one place that knows the GSM 03.38
 * alphabet. SMS segmenting (sms-length.ts) and the voice and MMS limits (limits.ts) all measure
 * through here, so a text never counts differently in two parts of the bot.
 */

export type TextEncoding = 'GSM-7' | 'UCS-2';

/**
 * GSM 03.38 default alphabet, positions 0x00-0x7F in order, without 0x1B (the escape to the
 * extension table). Exact: 0x09 is the capital "Ç" only, so a lower-case "ç" needs Unicode.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** GSM 03.38 extension table: each is sent as escape + character, so it costs 2 septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

/** Septets one character costs in GSM-7: 1, 2 (extension table), or undefined if not GSM. */
export const gsmSeptets = (char: string): 1 | 2 | undefined =>
  BASIC.has(char) ? 1 : EXTENSION.has(char) ? 2 : undefined;

/** Every character is in the GSM basic or extension table, so the text can go as GSM-7. */
export const isGsm7 = (text: string): boolean => firstNonGsmCharacter(text) === undefined;

/** The first character (a whole code point) that forces the message into UCS-2, if any. */
export const firstNonGsmCharacter = (text: string): string | undefined => {
  for (const char of text) if (gsmSeptets(char) === undefined) return char;
  return undefined;
};

export const detectEncoding = (text: string): TextEncoding => (isGsm7(text) ? 'GSM-7' : 'UCS-2');

/**
 * The text cut into the pieces a handset never splits across SMS parts, each with its cost:
 * an extension character (2 septets), a surrogate pair (2 UTF-16 units), a line break.
 * ClickSend counts every line break as 2 - "\r\n", a lone "\n" or a lone "\r" alike, in both
 * encodings - presumably because it sends "\r\n" whatever was typed.
 */
export const characterWeights = (text: string): { encoding: TextEncoding; weights: number[] } => {
  const encoding = detectEncoding(text);
  const weights: number[] = [];
  for (let i = 0; i < text.length; ) {
    const unit = text[i] ?? '';
    if (unit === '\r' || unit === '\n') {
      weights.push(2);
      i += unit === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
    weights.push(encoding === 'GSM-7' ? (gsmSeptets(char) ?? 1) : char.length);
    i += char.length;
  }
  return { encoding, weights };
};

/** Characters as ClickSend counts them: septets in GSM-7, UTF-16 code units in UCS-2. */
export const countUnits = (text: string): { encoding: TextEncoding; units: number } => {
  const { encoding, weights } = characterWeights(text);
  return { encoding, units: weights.reduce((sum, w) => sum + w, 0) };
};

/**
 * Names the encoding for a Teams user and, for Unicode, the character that caused it: it is
 * often invisible or looks like ASCII (a curly quote or a zero-width space pasted from Outlook).
 */
export const describeEncoding = (text: string): string => {
  const culprit = firstNonGsmCharacter(text);
  if (culprit === undefined) return 'GSM';
  const codePoint = (culprit.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `Unicode, because of "${culprit}" U+${codePoint}`;
};
