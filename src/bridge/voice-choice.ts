import type { ClickSendClient } from '../clicksend/client.js';
import type { VoiceLanguage } from '../clicksend/voice.js';
import { InvalidRequestError } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Whether ClickSend has the voice (female or male) asked for in the language asked for: some
 * languages have one voice only (`en-in` is female only), and ClickSend refuses the others with
 * INVALID_VOICE only after the call was made. `GET /voice/lang` says which; it is read once per
 * hour, so a send costs no extra call.
 */

export interface VoiceChoiceDeps {
  readonly logger: Logger;
}

export interface VoiceChoiceOptions {
  /** How long the languages are kept; an hour by default. */
  readonly ttlMs?: number;
  /** After a failed read, how long sends go ahead unchecked before it is tried again; a minute by default. */
  readonly retryAfterMs?: number;
  readonly now?: () => number;
}

type LanguagesClient = Pick<ClickSendClient, 'voice'>;

const LANGUAGES_TTL_MS = 60 * 60 * 1000;
const RETRY_AFTER_MS = 60 * 1000;

const voicesOf = (language: VoiceLanguage): string => {
  const genders = language.gender.map((g) => g.toLowerCase());
  return genders.length === 1 ? `a ${genders[0]} voice only` : `${genders.join(' and ')} voices`;
};

/** What is wrong with `lang` + `voice` in `languages`, as an issue of its input; nothing when ClickSend has it. */
export const voiceChoiceProblem = (
  languages: readonly VoiceLanguage[],
  lang: string,
  voice: string,
): { path: 'lang' | 'voice'; message: string } | undefined => {
  const language = languages.find((l) => l.code.toLowerCase() === lang.trim().toLowerCase());
  if (!language) return { path: 'lang', message: `ClickSend has no voice for the language ${lang}: pick one from the list` };
  // A language listed without its voices: ClickSend decides.
  if (language.gender.length === 0 || language.gender.some((g) => g.toLowerCase() === voice.toLowerCase())) return undefined;
  const name = language.country ? `${language.country} (${language.code})` : language.code;
  return { path: 'voice', message: `${name} has ${voicesOf(language)}: pick ${language.gender.map((g) => g.toLowerCase()).join(' or ')}` };
};

export const isValidVoiceChoice = (languages: readonly VoiceLanguage[], lang: string, voice: string): boolean =>
  voiceChoiceProblem(languages, lang, voice) === undefined;

export const createVoiceChoices = (deps: VoiceChoiceDeps, options: VoiceChoiceOptions = {}) => {
  const log = deps.logger.child({ module: 'voice-choice' });
  const { ttlMs = LANGUAGES_TTL_MS, retryAfterMs = RETRY_AFTER_MS, now = Date.now } = options;
  let cached: { readonly until: number; readonly languages: readonly VoiceLanguage[] | undefined } | undefined;
  let reading: Promise<readonly VoiceLanguage[] | undefined> | undefined;

  const read = async (client: LanguagesClient): Promise<readonly VoiceLanguage[] | undefined> => {
    try {
      const languages = await client.voice.languages();
      cached = { until: now() + ttlMs, languages };
      return languages;
    } catch (error) {
      log.warn({ code: (error as { code?: unknown }).code, err: error }, 'voice languages unreadable; ClickSend checks the voice itself');
      cached = { until: now() + retryAfterMs, languages: undefined };
      return undefined;
    }
  };

  /** The languages ClickSend offers, or undefined while they cannot be read. */
  const languages = async (client: LanguagesClient): Promise<readonly VoiceLanguage[] | undefined> => {
    if (cached && now() < cached.until) return cached.languages;
    // Sends arriving together share one read.
    reading ??= read(client).finally(() => {
      reading = undefined;
    });
    return reading;
  };

  return {
    languages,
    /**
     * Throws `InvalidRequestError` on `voice` (or `lang`) when ClickSend does not offer that
     * voice in that language, before anything is priced or sent. When the languages cannot be
     * read, the send goes ahead and ClickSend decides.
     */
    async verifyVoiceChoice(client: LanguagesClient, lang: string, voice: string): Promise<void> {
      const known = await languages(client);
      const problem = known && voiceChoiceProblem(known, lang, voice);
      if (problem) throw new InvalidRequestError({ operation: 'voice.send', issues: [problem] });
    },
  };
};
export type VoiceChoices = ReturnType<typeof createVoiceChoices>;
