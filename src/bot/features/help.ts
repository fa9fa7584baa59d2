import { z } from 'zod';
import type { AdaptiveCardJson } from '../../cards/types.js';
import type { Turn } from '../../teams/types.js';
import type { FormName } from '../../bridge/forms.js';
import type { CardAction, Feature, Permission } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import type { FormCards } from '../form-cards.js';

const FORMS = ['sms', 'mms', 'voice', 'fax', 'letter', 'postcard', 'list', 'contact'] as const satisfies readonly FormName[];

const OpenFormSchema = z.object({
  form: z.enum(FORMS),
  values: z.record(z.string(), z.string()).optional(),
});

/** Who may open each form: whoever may submit it (a list send is checked when submitted). */
const FORM_PERMISSIONS: Record<(typeof FORMS)[number], Permission> = {
  sms: { role: 'sender', what: 'Sending an SMS' },
  mms: { role: 'sender', what: 'Sending an MMS' },
  voice: { role: 'sender', what: 'Making a voice call' },
  fax: { role: 'sender', what: 'Sending a fax' },
  letter: { role: 'admin', what: 'Sending a letter' },
  postcard: { role: 'admin', what: 'Sending a postcard' },
  list: { role: 'sender', what: 'Creating a contact list' },
  contact: { role: 'sender', what: 'Adding a contact' },
};

/**
 * `help` and the buttons every card shares: open a form, show help, cancel. `commands` is
 * read when help is shown, so it lists every feature's commands, this one's included.
 */
export const createHelpFeature = (deps: BotDeps, forms: FormCards, commands: () => readonly Command[]): Feature => {
  /** Every command; those the user's role does not allow say whose they are, without a button. */
  const helpCard = (turn: Turn): AdaptiveCardJson =>
    deps.cards.render('help', {
      defaultCountry: deps.settings.defaultCountry,
      commands: commands().map((c) =>
        c.role && !deps.access.has(turn.user, c.role)
          ? { usage: c.usage, summary: `${c.summary} (${c.role}s only)` }
          : { usage: c.usage, summary: c.summary, ...(c.button ? { button: c.button } : {}) },
      ),
    });

  const actions: CardAction[] = [
    { verb: 'help.show', run: async ({ turn }) => ({ reply: { card: helpCard(turn) } }) },
    {
      verb: 'form.open',
      // Refused when the form is opened rather than after it was filled in.
      permission: (data) => FORM_PERMISSIONS[OpenFormSchema.shape.form.safeParse(data.form).data ?? 'sms'],
      async run({ data }) {
        const { form, values } = OpenFormSchema.parse(data);
        return { reply: { card: await forms.render(form, { values: values ?? {} }) } };
      },
    },
    {
      verb: 'form.cancel',
      run: async () => ({ replace: deps.cards.render('done', { title: 'Cancelled', message: 'Nothing was sent or changed.', facts: [], buttons: [] }) }),
    },
  ];

  const help: Command = {
    words: ['help'],
    usage: 'help',
    summary: 'This list of commands',
    run: async (c) => c.show(helpCard(c.turn)),
  };
  return { commands: [help], actions };
};
