import { z } from 'zod';
import type { AdaptiveCardJson, CardButton } from '../../cards/types.js';
import { createFormSchemas, formValues, IdInputSchema, parseForm } from '../../bridge/forms.js';
import { ClickSendApiError } from '../../clicksend/errors.js';
import { IdSchema, verifyRequest } from '../../clicksend/requests.js';
import { UsageError } from '../../errors.js';
import type { CardAction, Feature } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import type { FormCards } from '../form-cards.js';
import { needClickSend } from './send-action.js';

export const PAGE_SIZE = 15;

// Built once: requests are checked with compiled schemas, made once per schema object.
const ListDeleteSchema = z.object({ list_id: IdInputSchema });

const PageSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  q: z.string().trim().optional().catch(undefined),
});

/**
 * The page line and Previous/Next buttons of a paged card. An empty listing has no page line:
 * the cards show their "nothing here" text only then.
 */
export const pageButtons = (verb: string, page: number, lastPage: number, data: Record<string, unknown>, total: number) => ({
  pageText: total === 0 ? '' : `Page ${page} of ${Math.max(lastPage, 1)}`,
  ...(page > 1 ? { previous: { title: 'Previous', verb, data: { ...data, page: page - 1 } } satisfies CardButton } : {}),
  ...(page < lastPage ? { next: { title: 'Next', verb, data: { ...data, page: page + 1 } } satisfies CardButton } : {}),
});

/** ClickSend no longer has what a card's button names: someone deleted it after the card was shown. */
export const isGone = (error: unknown): boolean => error instanceof ClickSendApiError && (error.status === 404 || error.responseCode === 'NOT_FOUND');

/**
 * What a click on a list that is gone answers: what happened, not an error. A card that shows
 * lists or contacts gets it as a new message (`reply`), so that it stays as it was.
 */
export const listGoneCard = (deps: BotDeps, listId: number): AdaptiveCardJson =>
  deps.cards.render('done', {
    title: 'That list was already deleted',
    message: `List ${listId} was deleted after this card was shown. Nothing else changed.`,
    facts: [],
    buttons: [{ title: 'All lists', verb: 'lists.page', data: { page: 1 } }],
  });

/** Contact lists: list and search (paged), create, delete after a confirmation. */
export const createListsFeature = (deps: BotDeps, forms: FormCards): Feature => {
  const schemas = createFormSchemas(deps.settings.defaultCountry);
  const openList = (listId: number): CardButton => ({ title: 'Contacts', verb: 'contacts.page', data: { list_id: String(listId), page: 1 } });

  const listsCard = async (page: number, q: string | undefined): Promise<AdaptiveCardJson> => {
    const client = needClickSend(deps);
    const common = { newList: { title: 'New list', verb: 'form.open', data: { form: 'list' } } };
    if (q) {
      const found = await client.lists.search(q, { page, limit: PAGE_SIZE });
      // ClickSend's search answers contacts too: its total counts them, so a count is shown only
      // when every hit is on this one page and the lists among them can be counted exactly.
      const rows = found.data.filter((hit) => (hit.type ?? 'list') === 'list');
      const onePage = found.last_page <= 1;
      return deps.cards.render('lists', {
        title: onePage ? `Lists matching "${q}" (${rows.length})` : `Lists matching "${q}"`,
        rows: rows.map((hit) => ({ listId: String(hit.id), name: hit.name ?? '', contacts: String(hit.contacts_count ?? ''), open: openList(hit.id) })),
        ...pageButtons('lists.page', found.current_page, found.last_page, { q }, onePage ? rows.length : found.total),
        ...common,
      });
    }
    const lists = await client.lists.list({ page, limit: PAGE_SIZE });
    return deps.cards.render('lists', {
      title: `Contact lists (${lists.total})`,
      rows: lists.data.map((l) => ({ listId: String(l.list_id), name: l.list_name, contacts: String(l._contacts_count ?? 0), open: openList(l.list_id) })),
      ...pageButtons('lists.page', lists.current_page, lists.last_page, {}, lists.total),
      ...common,
    });
  };

  const actions: CardAction[] = [
    {
      verb: 'lists.page',
      async run({ data }) {
        const { page, q } = PageSchema.parse(data);
        return { replace: await listsCard(page, q) };
      },
    },
    {
      verb: 'list.create',
      once: true,
      permission: { role: 'sender', what: 'Creating a contact list' },
      async run({ turn, data }) {
        const parsed = parseForm(schemas.list, data);
        if (!parsed.ok) return { replace: await forms.render('list', { values: formValues(data), errors: parsed.errors }), settled: 'retry' };
        const list = await needClickSend(deps).lists.create(parsed.value);
        await deps.audit.record(turn, { action: 'list.create', recipients: 0, messageIds: [String(list.list_id)], detail: `list ${list.list_id}` });
        return {
          replace: deps.cards.render('done', {
            title: 'List created',
            message: `"${list.list_name}" is ready for contacts.`,
            facts: [{ title: 'List id', value: String(list.list_id) }],
            buttons: [
              { title: 'Add a contact', verb: 'form.open', data: { form: 'contact', values: { list_id: String(list.list_id) } } },
              { title: 'All lists', verb: 'lists.page', data: { page: 1 } },
            ],
          }),
        };
      },
    },
    {
      verb: 'list.delete',
      once: true,
      permission: { role: 'admin', what: 'Deleting a contact list' },
      async run({ turn, data }) {
        const { list_id: listId } = verifyRequest('list.delete', ListDeleteSchema, data);
        try {
          await needClickSend(deps).lists.delete(listId);
        } catch (error) {
          // Deleted by someone else since the question was asked: that answers it.
          if (isGone(error)) return { replace: listGoneCard(deps, listId) };
          throw error;
        }
        await deps.audit.record(turn, { action: 'list.delete', recipients: 0, messageIds: [String(listId)], detail: `list ${listId}` });
        return {
          replace: deps.cards.render('done', { title: 'List deleted', message: `List ${listId} and its contacts are gone.`, facts: [], buttons: [] }),
        };
      },
    },
  ];

  const commands: Command[] = [
    {
      words: ['lists'],
      usage: 'lists [<search>]',
      summary: 'Your ClickSend contact lists, or those whose name matches',
      run: async (c) => c.show(await listsCard(1, c.text || undefined)),
    },
    {
      words: ['list', 'create'],
      role: 'sender',
      usage: 'list create <name>',
      summary: 'Create a contact list; alone it opens the form',
      button: { title: 'New list', verb: 'form.open', data: { form: 'list' } },
      run: async (c) => (c.text ? c.perform('list.create', { list_name: c.text }) : c.show(await forms.render('list'))),
    },
    {
      words: ['list', 'delete'],
      role: 'admin',
      usage: 'list delete <list_id>',
      summary: 'Delete a contact list (asks first)',
      run: async (c) => {
        const id = IdSchema.safeParse(c.args[0]);
        if (!id.success) throw new UsageError('Which list?', 'Type list delete <list_id>; lists shows the ids.');
        const list = await needClickSend(deps).lists.get(id.data);
        await c.show(
          deps.cards.render('confirm', {
            title: `Delete the list "${list.list_name}"?`,
            intro: `Its ${list._contacts_count ?? 0} contacts are deleted with it. This cannot be undone.`,
            facts: [{ title: 'List id', value: String(list.list_id) }],
            confirm: { title: 'Delete', verb: 'list.delete', data: { list_id: String(list.list_id) }, style: 'destructive' },
            cancel: { title: 'Keep it', verb: 'form.cancel' },
          }),
        );
      },
    },
  ];
  return { commands, actions };
};
