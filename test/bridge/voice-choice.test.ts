import { describe, expect, it } from 'vitest';
import type { VoiceLanguage } from '../../src/clicksend/voice.js';
import { createVoiceChoices, isValidVoiceChoice } from '../../src/bridge/voice-choice.js';
import { InvalidRequestError } from '../../src/errors.js';
import { captureLogger } from '../store/capture-logger.js';

const LANGUAGES: VoiceLanguage[] = [
  { code: 'en-us', country: 'English, US', gender: ['female', 'male'] },
  { code: 'en-in', country: 'English, India', gender: ['female'] },
  { code: 'pt-pt', country: 'Portuguese, Portugal', gender: ['male'] },
];

/** A ClickSend client whose `voice.languages` answers from `answers`, counting the reads. */
const fakeClient = (...answers: (VoiceLanguage[] | Error)[]) => {
  let reads = 0;
  const client = {
    voice: {
      languages: async () => {
        const answer = answers[Math.min(reads, answers.length - 1)]!;
        reads += 1;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
  } as unknown as Parameters<ReturnType<typeof createVoiceChoices>['verifyVoiceChoice']>[0];
  return { client, reads: () => reads };
};

const refusal = (promise: Promise<void>) => promise.then(() => undefined, (error: unknown) => error);

describe('voice choice', () => {
  it('refuses a voice the language does not have, on the voice input', async () => {
    const { logger } = captureLogger();
    const { client } = fakeClient(LANGUAGES);
    const error = await refusal(createVoiceChoices({ logger }).verifyVoiceChoice(client, 'en-in', 'male'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues).toEqual([
      { path: 'voice', message: 'English, India (en-in) has a female voice only: pick female' },
    ]);
  });

  it('refuses a language ClickSend does not list, on the language input', async () => {
    const { logger } = captureLogger();
    const error = await refusal(createVoiceChoices({ logger }).verifyVoiceChoice(fakeClient(LANGUAGES).client, 'xx-yy', 'female'));
    expect((error as InvalidRequestError).issues[0]?.path).toBe('lang');
  });

  it('takes every voice a language has, whatever its case', () => {
    expect(isValidVoiceChoice(LANGUAGES, 'en-us', 'male')).toBe(true);
    expect(isValidVoiceChoice(LANGUAGES, 'EN-US', 'female')).toBe(true);
    expect(isValidVoiceChoice(LANGUAGES, 'pt-pt', 'female')).toBe(false);
  });

  it('reads the languages once for many sends until the hour is up', async () => {
    const { logger } = captureLogger();
    let now = 0;
    const { client, reads } = fakeClient(LANGUAGES);
    const choices = createVoiceChoices({ logger }, { now: () => now });
    await Promise.all([choices.verifyVoiceChoice(client, 'en-us', 'male'), choices.verifyVoiceChoice(client, 'en-au', 'female').catch(() => undefined)]);
    now = 59 * 60 * 1000;
    await choices.verifyVoiceChoice(client, 'en-in', 'female');
    expect(reads()).toBe(1);
    now = 61 * 60 * 1000;
    await choices.verifyVoiceChoice(client, 'en-in', 'female');
    expect(reads()).toBe(2);
  });

  it('lets the send go ahead, logged, when the languages cannot be read, and reads them again a minute later', async () => {
    const { logger, lines } = captureLogger();
    let now = 0;
    const { client, reads } = fakeClient(new Error('ClickSend is down'), LANGUAGES);
    const choices = createVoiceChoices({ logger }, { now: () => now });
    await expect(choices.verifyVoiceChoice(client, 'en-in', 'male')).resolves.toBeUndefined();
    await expect(choices.verifyVoiceChoice(client, 'en-in', 'male')).resolves.toBeUndefined();
    expect(reads()).toBe(1);
    expect(lines.some((line) => line.msg.includes('voice languages unreadable'))).toBe(true);
    now = 61 * 1000;
    await expect(refusal(choices.verifyVoiceChoice(client, 'en-in', 'male'))).resolves.toBeInstanceOf(InvalidRequestError);
    expect(reads()).toBe(2);
  });
});
