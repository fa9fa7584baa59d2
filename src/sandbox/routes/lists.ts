/** `GET/POST /lists`, `GET/PUT/DELETE /lists/{list_id}`, `GET /search/contacts-lists?q=`. */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success } from '../envelope.js';
import { paginate } from '../paging.js';
import type { ApiRequest, Route } from '../router.js';
import { nextId, type ListRecord, type SandboxState } from '../state.js';
import { idParam, parseBody, requiredText } from '../validation.js';

const ListSchema = z.looseObject({ list_name: requiredText });

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** ClickSend gives each list an email-to-list id like `KB0LHD6WXFVHZWTR`. */
const newListEmailId = (): string => [...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');

const contactsIn = (state: SandboxState, listId: number): number => {
  let count = 0;
  for (const contact of state.contacts.values()) if (contact.list_id === listId) count += 1;
  return count;
};

export const listView = (state: SandboxState, list: ListRecord) => ({
  list_id: list.list_id,
  list_name: list.list_name,
  list_email_id: list.list_email_id,
  _contacts_count: contactsIn(state, list.list_id),
  _import_in_progress: list._import_in_progress,
  _optout_in_progress: list._optout_in_progress,
});

export const findList = (state: SandboxState, listId: string | undefined): ListRecord => {
  const list = state.lists.get(idParam(listId, 'List'));
  if (!list) throw new ApiError('NOT_FOUND', 'List not found.');
  return list;
};

/** A search row: lists and contacts whose name matches, in ClickSend's `{id, name, contact, type, contacts_count}`. */
const searchRows = (state: SandboxState, q: string) => {
  const needle = q.toLowerCase();
  const lists = [...state.lists.values()]
    .filter((l) => l.list_name.toLowerCase().includes(needle))
    .map((l) => ({ id: l.list_id, name: l.list_name, contact: null, type: 'list', contacts_count: contactsIn(state, l.list_id) }));
  const contacts = [...state.contacts.values()]
    .filter((c) => [c.first_name, c.last_name, c.phone_number, c.email].some((v) => v?.toLowerCase().includes(needle)))
    .map((c) => ({
      id: c.contact_id,
      name: `${c.first_name} ${c.last_name}`.trim(),
      contact: c.phone_number ?? c.email ?? c.fax_number,
      type: 'contact',
      contacts_count: null,
    }));
  return [...lists, ...contacts];
};

export const listRoutes = (deps: SandboxDeps): Route[] => {
  const { state } = deps;

  const list = (request: ApiRequest) => {
    const rows = [...state.lists.values()].map((l) => listView(state, l));
    return success('Here are your data.', paginate(rows, request.query, `${deps.baseUrl()}/v3/lists`));
  };

  const create = (request: ApiRequest) => {
    const body = parseBody(ListSchema, request.body);
    const record: ListRecord = {
      list_id: nextId(state, 'list'),
      list_name: body.list_name,
      list_email_id: newListEmailId(),
      _import_in_progress: 0,
      _optout_in_progress: 0,
    };
    state.lists.set(record.list_id, record);
    return success('New list has been created.', listView(state, record));
  };

  const update = (request: ApiRequest) => {
    const record = findList(state, request.params.list_id);
    record.list_name = parseBody(ListSchema, request.body).list_name;
    return success(`List #${record.list_id} has been updated.`, listView(state, record));
  };

  const remove = (request: ApiRequest) => {
    const record = findList(state, request.params.list_id);
    state.lists.delete(record.list_id);
    for (const [id, contact] of state.contacts) if (contact.list_id === record.list_id) state.contacts.delete(id);
    return success(`List #${record.list_id} has been deleted.`, []);
  };

  const search = (request: ApiRequest) => {
    const q = request.query.get('q')?.trim();
    if (!q) throw new ApiError('BAD_REQUEST', 'The q field is required.', { data: { q: 'The q field is required.' } });
    const page = paginate(searchRows(state, q), request.query, `${deps.baseUrl()}/v3/search/contacts-lists`);
    return success('Here are your data.', page);
  };

  return [
    { method: 'GET', path: '/v3/lists', access: 'account', handle: list },
    { method: 'POST', path: '/v3/lists', access: 'account', handle: create },
    { method: 'GET', path: '/v3/lists/:list_id', access: 'account', handle: (r) => success('Here are your data.', listView(state, findList(state, r.params.list_id))) },
    { method: 'PUT', path: '/v3/lists/:list_id', access: 'account', handle: update },
    { method: 'DELETE', path: '/v3/lists/:list_id', access: 'account', handle: remove },
    { method: 'GET', path: '/v3/search/contacts-lists', access: 'account', handle: search },
  ];
};
