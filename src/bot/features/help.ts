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

/** The action each form's button performs: opening a form needs the role that action needs. */
const FORM_SUBMIT_VERBS: Record<(typeof FORMS)[number], string> = {
  sms: 'sms.send',
  mms: 'mms.send',
  voice: 'voice.send',
  fax: 'fax.send',
  letter: 'letter.send',
  postcard: 'postcard.send',
  list: 'list.create',
  contact: 'contact.create',
};

/**
 * `help` and the buttons every card shares: open a form, show help, cancel. `commands` is
 * read when help is shown, so it lists every feature's commands, this one's included.
 */
export const createHelpFeature = (
  deps: BotDeps,
  forms: FormCards,
  commands: () => readonly Command[],
  actionsOfAll: () => readonly CardAction[],
): Feature => {
  /** Refused when the form is opened rather than after it was filled in (a list send is checked when submitted). */
  const formPermission = (data: Readonly<Record<string, unknown>>): Permission => {
    const verb = FORM_SUBMIT_VERBS[OpenFormSchema.shape.form.safeParse(data.form).data ?? 'sms'];
    const submit = actionsOfAll().find((action) => action.verb === verb)?.permission;
    // Every form's submit action exists: a missing one is our bug, never a reason to let everyone in.
    if (submit === undefined) throw new Error(`no card action ${verb} submits this form`);
    return typeof submit === 'function' ? submit({}) : submit;
  };

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
      permission: formPermission,
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
