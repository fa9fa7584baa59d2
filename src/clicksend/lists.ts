import { z } from 'zod';
import { InvalidRequestError } from '../errors.js';
import { verifyRequest } from './messages.js';
import { EmptyDataSchema, looseNumber, optionalNumber, optionalString, pageOf, type Page, type PageQuery } from './schemas.js';
import type { Transport } from './transport.js';

/**
 * Contact lists: list, search, read, create, rename, delete. The paging and id checks here are
 * shared by every area that reads ClickSend pages or takes ids in paths. Every method is
 * `async` so that input refused before the call rejects like any other failure, never throws.
 */

/** A ClickSend id in a path (`list_id`, `contact_id`, rule ids); forms hand it over as text. */
export const IdSchema = z.coerce.number<number | string>().int().positive();

/** ClickSend's own bounds: pages from 1, 15 to 100 rows a page. */
export const PageQuerySchema = z.object({
  page: z.number().int().min(1).optional(),
  limit: z.number().int().min(15, 'a page has at least 15 rows').max(100, 'a page has at most 100 rows').optional(),
});

/** The `?page=&limit=` of a paged GET, refused before the call when out of ClickSend's bounds. */
export const verifyPageQuery = (operation: string, query: PageQuery | undefined): PageQuery =>
  verifyRequest(operation, PageQuerySchema, query ?? {});

/** Checks an id given for a path; the issue is named as ClickSend names it (`list_id`) for a form to point at. */
export const verifyId = (operation: string, field: string, value: number | string): number => {
  const parsed = IdSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError({
    operation,
    issues: parsed.error.issues.map((issue) => ({ path: field, message: issue.message })),
  });
};

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
