import { z } from 'zod';
import { countUnits, describeEncoding, type TextEncoding } from './text-units.js';
import { formatCount, limitProblem, limitSchema, validator, verifier, type LimitCheck } from './limit-check.js';

/**
 * ClickSend's voice and MMS limits. Characters are counted as for SMS (text-units.ts): an
 * extension character or a line break counts 2, and one character outside GSM makes the whole
 * text Unicode. ClickSend does not say how it counts here; counting as for SMS can only reject
 * a text slightly early, never let through one that ClickSend would truncate or refuse.
 */

// --- Voice: "every 300 characters = 1 voice message, at most 1,200" -----------------------

export const VOICE_UNITS = {
  'GSM-7': { perPart: 300, max: 1200 },
  'UCS-2': { perPart: 150, max: 600 },
} as const satisfies Record<TextEncoding, { perPart: number; max: number }>;

export interface VoiceMeasure {
  readonly encoding: TextEncoding;
  readonly units: number;
  /** Billed voice messages; 0 for an empty text. */
  readonly parts: number;
  readonly unitsPerPart: number;
  readonly maxUnits: number;
}

export const measureVoice = (text: string): VoiceMeasure => {
  const { encoding, units } = countUnits(text);
  const { perPart, max } = VOICE_UNITS[encoding];
  return { encoding, units, parts: Math.ceil(units / perPart), unitsPerPart: perPart, maxUnits: max };
};

const checkVoiceBody: LimitCheck = (text) => {
  if (text.trim() === '') return limitProblem('body', 1, 0, 'The voice message is empty.');
  const { units, maxUnits } = measureVoice(text);
  if (units <= maxUnits) return undefined;
  return limitProblem(
    'body',
    maxUnits,
    units,
    `The voice message is ${formatCount(units)} characters long (${describeEncoding(text)}); ` +
      `the limit is ${formatCount(maxUnits)} characters.`,
  );
};

export const verifyVoiceBody: (text: string) => void = verifier(checkVoiceBody);
export const isValidVoiceBody = validator(checkVoiceBody);
export const voiceBodySchema = limitSchema(checkVoiceBody);

// --- MMS: subject required and at most 20; body 1,500, or 500 when it needs Unicode ----------

export const MMS_SUBJECT_MAX = 20;
export const MMS_BODY_MAX = { 'GSM-7': 1500, 'UCS-2': 500 } as const satisfies Record<TextEncoding, number>;

const checkMmsSubject: LimitCheck = (subject) => {
  // ClickSend refuses an MMS without a subject (SUBJECT_REQUIRED), after the call; catch it first.
  if (subject.trim() === '') return limitProblem('subject', 1, 0, 'The MMS needs a subject.');
  const { units } = countUnits(subject);
  if (units <= MMS_SUBJECT_MAX) return undefined;
  return limitProblem(
    'subject',
    MMS_SUBJECT_MAX,
    units,
    `The MMS subject is ${formatCount(units)} characters long; the limit is ${MMS_SUBJECT_MAX} characters.`,
  );
};

export const verifyMmsSubject: (subject: string) => void = verifier(checkMmsSubject);
export const isValidMmsSubject = validator(checkMmsSubject);
export const mmsSubjectSchema = limitSchema(checkMmsSubject);

const checkMmsBody: LimitCheck = (text) => {
  if (text.trim() === '') return limitProblem('body', 1, 0, 'The MMS text is empty.');
  const { encoding, units } = countUnits(text);
  const max = MMS_BODY_MAX[encoding];
  if (units <= max) return undefined;
  return limitProblem(
    'body',
    max,
    units,
    `The MMS text is ${formatCount(units)} characters long (${describeEncoding(text)}); ` +
      `the limit is ${formatCount(max)} characters.`,
  );
};

export const verifyMmsBody: (text: string) => void = verifier(checkMmsBody);
export const isValidMmsBody = validator(checkMmsBody);
export const mmsBodySchema = limitSchema(checkMmsBody);

// --- custom_string ---------------------------------------------------------------------------

/**
 * Our reference on a message; ClickSend shows it in reports and passes it back with replies.
 * Neither the OpenAPI document (21 `custom_string` properties, all a bare `type: string`) nor
 * the connector documents a maximum, so 4,096 is our own sanity bound, not ClickSend's.
 */
export const CUSTOM_STRING_MAX = 4096;

export const customStringSchema = z.string().max(CUSTOM_STRING_MAX, {
  message: `The reference (custom_string) may be at most ${formatCount(CUSTOM_STRING_MAX)} characters.`,
});
