/** `GET/POST /lists/{list_id}/contacts`, `GET/PUT/DELETE /lists/{list_id}/contacts/{contact_id}`. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success } from '../envelope.js';
import { paginate } from '../paging.js';
import { parseRecipient, TEST_FAX_NUMBERS, TEST_NUMBERS } from '../phone.js';
import type { ApiRequest, Route } from '../router.js';
import { nextId, type ContactRecord, type ListRecord } from '../state.js';
import { idParam, looseText, parseBody } from '../validation.js';
import { findList } from './lists.js';

const ContactSchema = z.looseObject({
  phone_number: looseText,
  fax_number: looseText,
  email: looseText,
  first_name: looseText,
  last_name: looseText,
  organization_name: looseText,
  custom_1: looseText,
  custom_2: looseText,
  custom_3: looseText,
  custom_4: looseText,
  address_line_1: looseText,
  address_line_2: looseText,
  address_city: looseText,
  address_state: looseText,
  address_postal_code: looseText,
  address_country: looseText,
});
type ContactInput = z.infer<typeof ContactSchema>;

const TEXT_FIELDS = [
  'email',
  'first_name',
  'last_name',
  'organization_name',
  'custom_1',
  'custom_2',
  'custom_3',
  'custom_4',
  'address_line_1',
  'address_line_2',
  'address_city',
  'address_state',
  'address_postal_code',
  'address_country',
] as const satisfies readonly (keyof ContactInput & keyof ContactRecord)[];

const FAX_TEST_NUMBERS: ReadonlySet<string> = new Set([...TEST_FAX_NUMBERS, ...TEST_NUMBERS]);

/** ClickSend stores numbers in E.164, read in the contact's country (AU by default). */
const normalized = (field: 'phone_number' | 'fax_number', value: string | undefined, country: string | undefined) => {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseRecipient(value, country, field === 'fax_number' ? FAX_TEST_NUMBERS : TEST_NUMBERS);
  if (!parsed.valid) {
    const message = `${field}: "${value}" is not a valid phone number.`;
    throw new ApiError('BAD_REQUEST', message, { data: { [field]: message } });
  }
  return parsed.e164;
};

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';

/** Applies `input` over `base` (a new or existing contact), normalizing numbers. */
const merge = (base: ContactRecord, input: ContactInput, now: number): ContactRecord => {
  const next: ContactRecord = { ...base, date_updated: now };
  for (const key of TEXT_FIELDS) {
    const value = input[key];
    if (value !== undefined) next[key] = value;
  }
  const country = next.address_country ?? undefined;
  next.phone_number = input.phone_number === undefined ? base.phone_number : (normalized('phone_number', input.phone_number, country) ?? null);
  next.fax_number = input.fax_number === undefined ? base.fax_number : (normalized('fax_number', input.fax_number, country) ?? null);
  if (blank(next.phone_number) && blank(next.fax_number) && blank(next.email)) {
    const message = 'phone_number: Must be provided if no fax number or email.';
    throw new ApiError('BAD_REQUEST', message, { data: { phone_number: message } });
  }
  return next;
};

const emptyContact = (id: number, listId: number, now: number): ContactRecord => ({
  contact_id: id,
  list_id: listId,
  phone_number: null,
  first_name: '',
  last_name: '',
  custom_1: '',
  custom_2: '',
  custom_3: '',
  custom_4: '',
  date_added: now,
  date_updated: now,
  fax_number: null,
  organization_name: null,
  email: null,
  address_line_1: null,
  address_line_2: null,
  address_city: null,
  address_state: null,
  address_postal_code: null,
  address_country: null,
});

const view = (list: ListRecord, contact: ContactRecord) => ({ ...contact, _list_name: list.list_name });

export const contactRoutes = (deps: SandboxDeps): Route[] => {
  const { state } = deps;

  const find = (request: ApiRequest): { list: ListRecord; contact: ContactRecord } => {
    const list = findList(state, request.params.list_id);
    const contact = state.contacts.get(idParam(request.params.contact_id, 'Contact'));
    if (!contact || contact.list_id !== list.list_id) throw new ApiError('NOT_FOUND', 'Contact not found.');
    return { list, contact };
  };

  const list = (request: ApiRequest) => {
    const owner = findList(state, request.params.list_id);
    const after = Number(request.query.get('updated_after') ?? 0) || 0;
    const rows = [...state.contacts.values()]
      .filter((c) => c.list_id === owner.list_id && c.date_updated > after)
      .map((c) => view(owner, c));
    const path = `${deps.baseUrl()}/v3/lists/${owner.list_id}/contacts`;
    return success("Here's your list of contacts.", paginate(rows, request.query, path));
  };

  const create = (request: ApiRequest) => {
    const owner = findList(state, request.params.list_id);
    const now = deps.clock.nowSeconds();
    const input = parseBody(ContactSchema, request.body);
    const contact = merge(emptyContact(nextId(state, 'contact'), owner.list_id, now), input, now);
    state.contacts.set(contact.contact_id, contact);
    return success('New contact has been created.', view(owner, contact));
  };

  const update = (request: ApiRequest) => {
    const found = find(request);
    const contact = merge(found.contact, parseBody(ContactSchema, request.body ?? {}), deps.clock.nowSeconds());
    state.contacts.set(contact.contact_id, contact);
    return success(`Contact #${contact.contact_id} has been updated successfully.`, view(found.list, contact));
  };

  const remove = (request: ApiRequest) => {
    const { contact } = find(request);
    state.contacts.delete(contact.contact_id);
    return success(`Contact #${contact.contact_id} has been deleted.`, []);
  };

  const PATH = '/v3/lists/:list_id/contacts';
  return [
    { method: 'GET', path: PATH, access: 'account', handle: list },
    { method: 'POST', path: PATH, access: 'account', handle: create },
    {
      method: 'GET',
      path: `${PATH}/:contact_id`,
      access: 'account',
      handle: (r) => {
        const found = find(r);
        return success('Here are your data.', view(found.list, found.contact));
      },
    },
    { method: 'PUT', path: `${PATH}/:contact_id`, access: 'account', handle: update },
    { method: 'DELETE', path: `${PATH}/:contact_id`, access: 'account', handle: remove },
  ];
};
