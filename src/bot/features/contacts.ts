import { z } from 'zod';
import type { AdaptiveCardJson } from '../../cards/types.js';
import { createFormSchemas, formValues, IdInputSchema, parseForm } from '../../bridge/forms.js';
import { IdSchema, verifyRequest } from '../../clicksend/requests.js';
import { UsageError } from '../../errors.js';
import type { CardAction, Feature } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import type { FormCards } from '../form-cards.js';
import { isGone, listGoneCard, PAGE_SIZE, pageButtons } from './lists.js';
import { needClickSend } from './send-action.js';

// Button data carries ids as text; `IdInputSchema` refuses what a tampered card could send
// instead (`true` or `[428]` must not become list 1 or list 428).
const PageSchema = z.object({ list_id: IdInputSchema, page: z.coerce.number().int().min(1).catch(1) });
const ContactRefSchema = z.object({ list_id: IdInputSchema, contact_id: IdInputSchema });

const nameOf = (c: { first_name?: string | undefined; last_name?: string | undefined; organization_name?: string | undefined }) =>
  [c.first_name, c.last_name].filter(Boolean).join(' ') || c.organization_name || '(no name)';

/** The contacts of a list: paged listing, create (form), delete after a confirmation. */
export const createContactsFeature = (deps: BotDeps, forms: FormCards): Feature => {
  const schemas = createFormSchemas(deps.settings.defaultCountry);

  const contactsCard = async (listId: number, page: number): Promise<AdaptiveCardJson> => {
    const client = needClickSend(deps);
    const [list, contacts] = await Promise.all([client.lists.get(listId), client.contacts.list(listId, { page, limit: PAGE_SIZE })]);
    return deps.cards.render('contacts', {
      title: `${list.list_name}: ${contacts.total} contacts`,
      rows: contacts.data.map((c) => ({
        contactId: String(c.contact_id),
        name: nameOf(c),
        phone: c.phone_number ?? '',
        email: c.email ?? '',
        remove: { title: 'Delete', verb: 'contact.delete.ask', data: { list_id: String(listId), contact_id: String(c.contact_id) }, style: 'destructive' as const },
      })),
      ...pageButtons('contacts.page', contacts.current_page, contacts.last_page, { list_id: String(listId) }, contacts.total),
      addContact: { title: 'Add contact', verb: 'form.open', data: { form: 'contact', values: { list_id: String(listId) } } },
    });
  };

  /** What a click on a contact that is gone answers: what happened, with a way to see the list as it is now. */
  const contactGoneCard = (listId: number): AdaptiveCardJson =>
    deps.cards.render('done', {
      title: 'That contact was already removed',
      message: `It was removed from list ${listId} after this card was shown, so there was nothing to delete.`,
      facts: [],
      buttons: [{ title: 'Show the list', verb: 'contacts.page', data: { list_id: String(listId), page: 1 } }],
    });

  const confirmDelete = async (listId: number, contactId: number): Promise<AdaptiveCardJson> => {
    const contact = await needClickSend(deps).contacts.get(listId, contactId);
    return deps.cards.render('confirm', {
      title: `Delete ${nameOf(contact)}?`,
      intro: 'The contact is removed from the list. This cannot be undone.',
      facts: [
        { title: 'Phone', value: contact.phone_number ?? '' },
        { title: 'Email', value: contact.email ?? '' },
      ].filter((f) => f.value !== ''),
      confirm: { title: 'Delete', verb: 'contact.delete', data: { list_id: String(listId), contact_id: String(contactId) }, style: 'destructive' },
      cancel: { title: 'Keep', verb: 'form.cancel' },
    });
  };

  const actions: CardAction[] = [
    {
      verb: 'contacts.page',
      async run({ data }) {
        const { list_id, page } = verifyRequest('contacts.page', PageSchema, data);
        try {
          return { replace: await contactsCard(list_id, page) };
        } catch (error) {
          // An out-of-date card (its list deleted since): it stays, and a new message says why.
          if (isGone(error)) return { reply: { card: listGoneCard(deps, list_id) } };
          throw error;
        }
      },
    },
    {
      verb: 'contact.create',
      once: true,
      permission: { role: 'sender', what: 'Adding a contact' },
      async run({ turn, data }) {
        const parsed = parseForm(schemas.contact, data);
        if (!parsed.ok) return { replace: await forms.render('contact', { values: formValues(data), errors: parsed.errors }), settled: 'retry' };
        const { list_id, ...fields } = parsed.value;
        const contact = await needClickSend(deps).contacts.create(list_id, fields);
        await deps.audit.record(turn, {
          action: 'contact.create',
          recipients: 0,
          messageIds: [String(contact.contact_id)],
          detail: `contact ${contact.contact_id} in list ${list_id}`,
        });
        return {
          replace: deps.cards.render('done', {
            title: 'Contact added',
            message: `${nameOf(contact)} is in list ${list_id}.`,
            facts: [
              { title: 'Contact id', value: String(contact.contact_id) },
              { title: 'Phone', value: contact.phone_number ?? '' },
            ].filter((f) => f.value !== ''),
            buttons: [
              { title: 'Add another', verb: 'form.open', data: { form: 'contact', values: { list_id: String(list_id) } } },
              { title: 'Show the list', verb: 'contacts.page', data: { list_id: String(list_id), page: 1 } },
            ],
          }),
        };
      },
    },
    {
      verb: 'contact.delete.ask',
      permission: { role: 'admin', what: 'Deleting a contact' },
      async run({ data }) {
        const { list_id, contact_id } = verifyRequest('contact.delete', ContactRefSchema, data);
        try {
          return { reply: { card: await confirmDelete(list_id, contact_id) } };
        } catch (error) {
          // A row of an out-of-date contacts card: the card stays as it was, a new message says why.
          if (isGone(error)) return { reply: { card: contactGoneCard(list_id) } };
          throw error;
        }
      },
    },
    {
      verb: 'contact.delete',
      once: true,
      permission: { role: 'admin', what: 'Deleting a contact' },
      async run({ turn, data }) {
        const { list_id, contact_id } = verifyRequest('contact.delete', ContactRefSchema, data);
        try {
          await needClickSend(deps).contacts.delete(list_id, contact_id);
        } catch (error) {
          // Removed by someone else since the question was asked: that answers it.
          if (isGone(error)) return { replace: contactGoneCard(list_id) };
          throw error;
        }
        await deps.audit.record(turn, { action: 'contact.delete', recipients: 0, messageIds: [String(contact_id)], detail: `contact ${contact_id} in list ${list_id}` });
        return { replace: deps.cards.render('done', { title: 'Contact deleted', message: `Contact ${contact_id} was removed from list ${list_id}.`, facts: [], buttons: [] }) };
      },
    },
  ];

  const listIdArg = (value: string | undefined, usage: string): number => {
    const id = IdSchema.safeParse(value);
    if (!id.success) throw new UsageError('Which list?', `Type ${usage}; lists shows the list ids.`);
    return id.data;
  };

  const commands: Command[] = [
    {
      words: ['contacts'],
      usage: 'contacts <list_id>',
      summary: 'The contacts of a list, a page at a time',
      run: async (c) => c.show(await contactsCard(listIdArg(c.args[0], 'contacts <list_id>'), 1)),
    },
    {
      words: ['contact', 'add'],
      role: 'sender',
      usage: 'contact add [<list_id>]',
      summary: 'Add a contact to a list (form)',
      button: { title: 'New contact', verb: 'form.open', data: { form: 'contact' } },
      run: async (c) => c.show(await forms.render('contact', { values: c.args[0] ? { list_id: c.args[0] } : {} })),
    },
    {
      words: ['contact', 'delete'],
      role: 'admin',
      usage: 'contact delete <list_id> <contact_id>',
      summary: 'Delete a contact (asks first)',
      run: async (c) => {
        const usage = 'contact delete <list_id> <contact_id>';
        const listId = listIdArg(c.args[0], usage);
        const contactId = IdSchema.safeParse(c.args[1]);
        if (!contactId.success) throw new UsageError('Which contact?', `Type ${usage}; contacts <list_id> shows the contact ids.`);
        await c.show(await confirmDelete(listId, contactId.data));
      },
    },
  ];
  return { commands, actions };
};
