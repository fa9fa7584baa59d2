/**
 * Voice languages, from the table in ClickSend's `POST /voice/send` documentation. `GET
 * /voice/lang` answers `gender` as a string when one voice exists and an array otherwise.
 */

export type VoiceGender = 'female' | 'male';

export interface VoiceLanguage {
  readonly code: string;
  readonly country: string;
  /** The first is the default. */
  readonly genders: readonly VoiceGender[];
}

const both: readonly VoiceGender[] = ['female', 'male'];

export const VOICE_LANGUAGES: readonly VoiceLanguage[] = [
  { code: 'en-us', country: 'English, US', genders: both },
  { code: 'en-au', country: 'English, Australia', genders: both },
  { code: 'en-gb', country: 'English, UK', genders: both },
  { code: 'en-in', country: 'English, India', genders: ['female'] },
  { code: 'en-gb-wls', country: 'English, Wales', genders: both },
  { code: 'cy-gb-wls', country: 'Celtic, Wales', genders: both },
  { code: 'de-de', country: 'German, Germany', genders: both },
  { code: 'es-es', country: 'Spanish, Spain', genders: both },
  { code: 'es-us', country: 'Spanish, US', genders: both },
  { code: 'fr-ca', country: 'French, Canada', genders: ['female'] },
  { code: 'fr-fr', country: 'French, France', genders: both },
  { code: 'is-is', country: 'Icelandic, Iceland', genders: both },
  { code: 'it-it', country: 'Italian, Italy', genders: both },
  { code: 'da-dk', country: 'Danish, Denmark', genders: both },
  { code: 'nl-nl', country: 'Dutch, Netherlands', genders: both },
  { code: 'nb-no', country: 'Norwegian, Norway', genders: ['female'] },
  { code: 'pl-pl', country: 'Polish, Poland', genders: both },
  { code: 'pt-pt', country: 'Portuguese, Portugal', genders: ['male'] },
  { code: 'pt-br', country: 'Portuguese, Brazil', genders: both },
  { code: 'ro-ro', country: 'Romanian, Romania', genders: ['female'] },
  { code: 'ru-ru', country: 'Russian, Russia', genders: both },
  { code: 'sv-se', country: 'Swedish, Sweden', genders: ['female'] },
  { code: 'tr-tr', country: 'Turkish, Turkey', genders: ['female'] },
];

const BY_CODE = new Map(VOICE_LANGUAGES.map((l) => [l.code, l]));

export const findVoiceLanguage = (code: string | undefined): VoiceLanguage | undefined =>
  code === undefined ? undefined : BY_CODE.get(code.trim().toLowerCase());

/** The `GET /voice/lang` rows. */
export const voiceLanguageRows = () =>
  VOICE_LANGUAGES.map((l) => ({ code: l.code, country: l.country, gender: l.genders.length === 1 ? l.genders[0] : [...l.genders] }));
