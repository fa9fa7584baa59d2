import type { AdaptiveCardJson, CardData, Choice } from '../cards/types.js';
import type { VoiceLanguage } from '../clicksend/voice.js';
import type { FormErrors, FormName } from '../bridge/forms.js';
import type { BotDeps } from './deps.js';

/** What a form shows: the values typed so far and what was wrong with them. */
export interface FormState {
  readonly values?: Readonly<Record<string, string>>;
  readonly errors?: FormErrors;
  readonly problem?: string;
}

const LANGUAGES_TTL_MS = 60 * 60 * 1000;

/**
 * Adaptive Cards in Teams cannot narrow the voice choices to the language picked (that would
 * take a refresh round trip per change), so each language says which voices it has:
 * "English, India (en-in): female voice only".
 */
const languageTitle = (l: VoiceLanguage): string => {
  const name = `${l.country ?? l.code} (${l.code})`;
  if (l.gender.length === 0) return name;
  return `${name}: ${l.gender.length === 1 ? `${l.gender[0]} voice only` : l.gender.join(' or ')}`;
};

/** The ids of every input a rendered card shows. */
const inputIdsOf = (card: unknown): Set<string> => {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const { type, id } = node as { type?: unknown; id?: unknown };
      if (typeof type === 'string' && type.startsWith('Input.') && typeof id === 'string') ids.add(id);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return ids;
};

/**
 * Renders the form cards, filling their choice sets from ClickSend (contact lists, voice
 * languages, return addresses). A choice set ClickSend cannot fill right now stays empty: the
 * form still opens, and the submission explains any problem.
 */
export const createFormCards = (deps: BotDeps) => {
  const log = deps.logger.child({ module: 'forms' });
  let languages: { at: number; choices: Choice[] } | undefined;

  const safely = async (what: string, load: () => Promise<Choice[]>): Promise<Choice[]> => {
    if (!deps.clicksend) return [];
    try {
      return await load();
    } catch (error) {
      log.warn({ what, code: (error as { code?: unknown }).code }, 'could not fill a form choice set');
      return [];
    }
  };

  const lists = () =>
    safely('lists', async () => {
      const page = await deps.clicksend!.lists.list({ limit: 100 });
      return page.data.map((l) => ({ title: `${l.list_name} (${l._contacts_count ?? 0})`, value: String(l.list_id) }));
    });

  const voiceLanguages = async (): Promise<Choice[]> => {
    if (languages && Date.now() - languages.at < LANGUAGES_TTL_MS) return languages.choices;
    const choices = await safely('voice languages', async () =>
      (await deps.clicksend!.voice.languages()).map((l) => ({ title: languageTitle(l), value: l.code })),
    );
    if (choices.length > 0) languages = { at: Date.now(), choices };
    return choices;
  };

  const returnAddresses = () =>
    safely('return addresses', async () => {
      const page = await deps.clicksend!.post.returnAddresses.list({ limit: 100 });
      return page.data.map((a) => ({ title: `${a.address_name}, ${a.address_city}`, value: String(a.return_address_id) }));
    });

  const base = (state: FormState) => ({
    values: state.values ?? {},
    errors: state.errors ?? {},
    ...(state.problem ? { problem: state.problem } : {}),
  });
  const country = deps.settings.defaultCountry;

  const builders: { [F in FormName]: (state: FormState) => Promise<AdaptiveCardJson> } = {
    sms: async (s) => deps.cards.render('sms-form', { ...base(s), lists: await lists(), defaultCountry: country }),
    mms: async (s) => deps.cards.render('mms-form', { ...base(s), lists: await lists(), defaultCountry: country }),
    voice: async (s) => {
      const data: CardData['voice-form'] = {
        ...base({ ...s, values: { lang: deps.settings.voice.lang, voice: deps.settings.voice.gender, ...s.values } }),
        lists: await lists(),
        languages: await voiceLanguages(),
        defaultCountry: country,
      };
      return deps.cards.render('voice-form', data);
    },
    fax: async (s) => deps.cards.render('fax-form', { ...base(s), lists: await lists(), defaultCountry: country }),
    letter: async (s) =>
      deps.cards.render('letter-form', { ...base({ ...s, values: { colour: '0', duplex: '0', ...s.values } }), returnAddresses: await returnAddresses() }),
    postcard: async (s) => deps.cards.render('postcard-form', { ...base(s), returnAddresses: await returnAddresses() }),
    list: async (s) => deps.cards.render('list-form', base(s)),
    contact: async (s) => deps.cards.render('contact-form', { ...base(s), lists: await lists() }),
  };

  return {
    /**
     * The form with its values and errors. An error on an input the card does not show (a list
     * picker hidden because the account has no lists, a field a tampered card sent) goes into the
     * form's problem line instead, so that no refusal is invisible.
     */
    async render(form: FormName, state: FormState = {}): Promise<AdaptiveCardJson> {
      const card = await builders[form](state);
      const shown = inputIdsOf(card);
      const hidden = Object.entries(state.errors ?? {}).filter(([field]) => !shown.has(field));
      if (hidden.length === 0) return card;
      const problem = [state.problem, ...hidden.map(([field, message]) => `${field}: ${message}`)].filter(Boolean).join('; ');
      return builders[form]({ ...state, problem });
    },
  };
};
export type FormCards = ReturnType<typeof createFormCards>;
