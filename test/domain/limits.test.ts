import { describe, it, expect } from 'vitest';
import { gsm, thrown, ucs } from './text.js';
import {
  customStringSchema,
  isValidMmsBody,
  isValidMmsSubject,
  isValidVoiceBody,
  measureVoice,
  mmsBodySchema,
  mmsSubjectSchema,
  verifyMmsBody,
  verifyMmsSubject,
  verifyVoiceBody,
  voiceBodySchema,
} from '../../src/domain/limits.js';
import { measureSms } from '../../src/domain/sms-length.js';


describe('voice messages', () => {
  it.each([
    [300, 1],
    [301, 2],
    [1200, 4],
  ])('bills %i GSM characters as %i voice messages', (length, parts) => {
    expect(measureVoice(gsm(length))).toEqual({ encoding: 'GSM-7', units: length, parts, unitsPerPart: 300, maxUnits: 1200 });
  });

  it.each([
    [150, 1],
    [151, 2],
    [600, 4],
  ])('bills %i Unicode characters as %i voice messages', (length, parts) => {
    expect(measureVoice(ucs(length))).toEqual({ encoding: 'UCS-2', units: length, parts, unitsPerPart: 150, maxUnits: 600 });
  });

  it('counts characters exactly as SMS does', () => {
    for (const text of ['€', 'a\nb', '😀', 'ç']) {
      expect(measureVoice(text).units).toBe(measureSms(text).units);
    }
  });

  it('accepts 1,200 GSM or 600 Unicode characters and refuses one more', () => {
    expect(isValidVoiceBody(gsm(1200))).toBe(true);
    expect(isValidVoiceBody(ucs(600))).toBe(true);
    expect(isValidVoiceBody(ucs(601))).toBe(false);
    const error = thrown(() => verifyVoiceBody(gsm(1201)));
    expect(error.message).toBe('The voice message is 1,201 characters long (GSM); the limit is 1,200 characters.');
    expect(error).toMatchObject({ field: 'body', limit: 1200, actual: 1201 });
  });

  it('refuses an empty voice message', () => {
    expect(thrown(() => verifyVoiceBody('  ')).message).toBe('The voice message is empty.');
  });

  it('reports the same sentence as a schema issue', () => {
    expect(voiceBodySchema.safeParse(gsm(1201)).error?.issues[0]?.message).toBe(
      'The voice message is 1,201 characters long (GSM); the limit is 1,200 characters.',
    );
    expect(voiceBodySchema.parse('Your parcel has arrived')).toBe('Your parcel has arrived');
  });
});

describe('MMS subject', () => {
  it('accepts up to 20 characters', () => {
    expect(() => verifyMmsSubject(gsm(20))).not.toThrow();
    expect(isValidMmsSubject('Invoice 42')).toBe(true);
  });

  it('refuses 21 characters, naming the subject field', () => {
    const error = thrown(() => verifyMmsSubject(gsm(21)));
    expect(error.message).toBe('The MMS subject is 21 characters long; the limit is 20 characters.');
    expect(error).toMatchObject({ field: 'subject', limit: 20, actual: 21 });
  });

  it('requires a subject because ClickSend refuses an MMS without one', () => {
    const error = thrown(() => verifyMmsSubject(' '));
    expect(error.message).toBe('The MMS needs a subject.');
    expect(error.field).toBe('subject');
    expect(mmsSubjectSchema.safeParse('').error?.issues[0]?.message).toBe('The MMS needs a subject.');
  });
});

describe('MMS body', () => {
  it('accepts 1,500 GSM characters and refuses 1,501', () => {
    expect(isValidMmsBody(gsm(1500))).toBe(true);
    expect(thrown(() => verifyMmsBody(gsm(1501))).message).toBe(
      'The MMS text is 1,501 characters long (GSM); the limit is 1,500 characters.',
    );
  });

  it('accepts 500 Unicode characters and refuses 501', () => {
    expect(isValidMmsBody(ucs(500))).toBe(true);
    const error = thrown(() => verifyMmsBody(ucs(501)));
    expect(error.message).toBe('The MMS text is 501 characters long (Unicode, because of "ş" U+015F); the limit is 500 characters.');
    expect(error).toMatchObject({ field: 'body', limit: 500, actual: 501 });
  });

  it('counts an emoji as 2 against the Unicode limit', () => {
    expect(isValidMmsBody('😀'.repeat(250))).toBe(true);
    expect(isValidMmsBody('😀'.repeat(251))).toBe(false);
  });

  it('refuses an empty MMS text', () => {
    expect(mmsBodySchema.safeParse('').error?.issues[0]?.message).toBe('The MMS text is empty.');
    expect(mmsBodySchema.parse('See the attached plan')).toBe('See the attached plan');
  });
});

describe('customStringSchema', () => {
  it('accepts an empty reference and one of 4,096 characters', () => {
    expect(customStringSchema.parse('')).toBe('');
    expect(customStringSchema.safeParse(gsm(4096)).success).toBe(true);
  });

  it('refuses a reference longer than our 4,096-character sanity bound', () => {
    expect(customStringSchema.safeParse(gsm(4097)).success).toBe(false);
  });
});
