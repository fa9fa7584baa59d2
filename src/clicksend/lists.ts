import { z } from 'zod';
import { verifyId, verifyPageQuery, verifyRequest } from './requests.js';
import { EmptyDataSchema, looseNumber, optionalNumber, optionalString, pageOf, type Page, type PageQuery } from './schemas.js';
import type { Transport } from './transport.js';

/**
 * Contact lists: list, search, read, create, rename, delete. Every method is
 * `async` so that input refused before the call rejects like any other failure, never throws.
 */

export const ListFieldsSchema = z.object({
  list_name: z.string().trim().min(1, 'give the list a name'),
});
export type ListFields = z.input<typeof ListFieldsSchema>;

export const ListSearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'give a list name to search for'),
});

export const ContactListSchema = z.looseObject({
  list_id: looseNumber,
  list_name: z.string(),
  list_email_id: optionalString,
  _contacts_count: optionalNumber,
  _import_in_progress: optionalNumber,
  _optout_in_progress: optionalNumber,
});
export type ContactList = z.infer<typeof ContactListSchema>;

/** A row of `/search/contacts-lists`: ClickSend's own short shape, not a `contact_list`. */
export const ListSearchHitSchema = z.looseObject({
  id: looseNumber,
  name: optionalString,
  contact: optionalString,
  type: optionalString,
  contacts_count: optionalNumber,
});
export type ListSearchHit = z.infer<typeof ListSearchHitSchema>;

const ListPageSchema = pageOf(ContactListSchema);
const SearchPageSchema = pageOf(ListSearchHitSchema);

export const createListsApi = (transport: Transport) => {
  const listPath = (operation: string, listId: number | string) => `/lists/${verifyId(operation, 'list_id', listId)}`;

  return {
    /** The account's contact lists, a page at a time. */
    async list(query?: PageQuery): Promise<Page<ContactList>> {
      const page = verifyPageQuery('lists.list', query);
      return transport.call({ operation: 'lists.list', method: 'GET', path: '/lists', query: { ...page }, data: ListPageSchema });
    },
    /** Lists whose name matches `q`. */
    async search(q: string, query?: PageQuery): Promise<Page<ListSearchHit>> {
      const search = verifyRequest('lists.search', ListSearchQuerySchema, { q });
      const page = verifyPageQuery('lists.search', query);
      return transport.call({
        operation: 'lists.search',
        method: 'GET',
        path: '/search/contacts-lists',
        query: { ...search, ...page },
        data: SearchPageSchema,
      });
    },
    async get(listId: number | string): Promise<ContactList> {
      const path = listPath('lists.get', listId);
      return transport.call({ operation: 'lists.get', method: 'GET', path, data: ContactListSchema });
    },
    async create(list: ListFields): Promise<ContactList> {
      const body = verifyRequest('lists.create', ListFieldsSchema, list);
      return transport.call({ operation: 'lists.create', method: 'POST', path: '/lists', body, data: ContactListSchema });
    },
    /** Renames a list. */
    async update(listId: number | string, list: ListFields): Promise<ContactList> {
      const path = listPath('lists.update', listId);
      const body = verifyRequest('lists.update', ListFieldsSchema, list);
      return transport.call({ operation: 'lists.update', method: 'PUT', path, body, data: ContactListSchema });
    },
    /** Deletes a list and its contacts. */
    async delete(listId: number | string): Promise<void> {
      const path = listPath('lists.delete', listId);
      await transport.call({ operation: 'lists.delete', method: 'DELETE', path, data: EmptyDataSchema });
    },
  };
};
export type ListsApi = ReturnType<typeof createListsApi>;
