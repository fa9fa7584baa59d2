/**
 * Message length rules as ClickSend bills them: GSM 03.38 text is 160 characters in one SMS and
 * 153 per part when split, anything else is UCS-2 at 70/67; extension characters and line
 * breaks count 2. Voice is billed per 300 (Unicode 150) characters.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM_BASIC);
const EXTENSION = new Set(GSM_EXTENSION);

export type Encoding = 'gsm' | 'ucs2';

export const encodingOf = (text: string): Encoding => {
  for (const ch of text) {
    if (!BASIC.has(ch) && !EXTENSION.has(ch)) return 'ucs2';
  }
  return 'gsm';
};

// ClickSend counts a line break as two characters (it sends CR LF).
const normalizeBreaks = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** Characters as billed, one entry per character with its cost in units. */
const units = (text: string, encoding: Encoding): number[] => {
  const out: number[] = [];
  for (const ch of normalizeBreaks(text)) {
    if (encoding === 'gsm') out.push(EXTENSION.has(ch) ? 2 : 1);
    else out.push(ch.length); // UTF-16 code units: astral characters (emoji) take two
  }
  return out;
};

export interface Segmented {
  readonly encoding: Encoding;
  /** Billed length in characters (units). */
  readonly length: number;
  readonly parts: number;
  /** The text after truncation to `maxParts`. */
  readonly text: string;
}

const SMS_LIMITS: Readonly<Record<Encoding, { single: number; multi: number }>> = {
  gsm: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
};

const truncate = (text: string, cost: readonly number[], maxUnits: number): string => {
  const chars = [...normalizeBreaks(text)];
  let used = 0;
  let keep = 0;
  for (const c of cost) {
    if (used + c > maxUnits) break;
    used += c;
    keep += 1;
  }
  return keep === chars.length ? text : chars.slice(0, keep).join('');
};

/** SMS parts, capped at `maxParts` (the account's `setting_sms_message_char_limit`), truncating. */
export const segmentSms = (text: string, maxParts: number): Segmented => {
  const encoding = encodingOf(text);
  const cost = units(text, encoding);
  const limits = SMS_LIMITS[encoding];
  const maxUnits = maxParts <= 1 ? limits.single : maxParts * limits.multi;
  const kept = truncate(text, cost, maxUnits);
  const length = Math.min(
    cost.reduce((a, b) => a + b, 0),
    maxUnits,
  );
  const parts = length === 0 ? 0 : length <= limits.single ? 1 : Math.ceil(length / limits.multi);
  return { encoding, length, parts: Math.min(parts, Math.max(1, maxParts)), text: kept };
};

const VOICE_UNIT: Readonly<Record<Encoding, number>> = { gsm: 300, ucs2: 150 };
export const VOICE_MAX_PARTS = 4;

/** Voice units: 300 characters each (Unicode 150), at most 4; longer text is truncated. */
export const segmentVoice = (text: string): Segmented => {
  const encoding = encodingOf(text);
  const cost = units(text, encoding).map(() => 1);
  const maxUnits = VOICE_UNIT[encoding] * VOICE_MAX_PARTS;
  const kept = truncate(text, cost, maxUnits);
  const length = Math.min(cost.length, maxUnits);
  return { encoding, length, parts: length === 0 ? 0 : Math.ceil(length / VOICE_UNIT[encoding]), text: kept };
};

const MMS_MAX: Readonly<Record<Encoding, number>> = { gsm: 1500, ucs2: 500 };

/** MMS text is one part; beyond 1,500 characters (Unicode 500) it is truncated. */
export const segmentMms = (text: string): Segmented => {
  const encoding = encodingOf(text);
  const chars = [...text];
  const kept = chars.length > MMS_MAX[encoding] ? chars.slice(0, MMS_MAX[encoding]).join('') : text;
  return { encoding, length: Math.min(chars.length, MMS_MAX[encoding]), parts: 1, text: kept };
};
