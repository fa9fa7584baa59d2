import { z } from 'zod';
import { E164Schema } from '../domain/phone.js';
import { verifyId, verifyPageQuery, verifyRequest } from './requests.js';
import { EmptyDataSchema, looseNumber, optionalNumber, optionalString, pageOf, type Page, type PageQuery } from './schemas.js';
import type { Transport } from './transport.js';

/** The contacts of a contact list. */

/**
 * An optional form field: an empty input means "not given" rather than an invalid value, so a
 * form that submits every input (blank ones as `''`) validates with this same schema.
 */
const optionalField = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(schema.optional())
    .optional();

const text = optionalField(z.string());

/** E.164, with a message a person filling the form can act on. */
const phone = (what: string) =>
  optionalField(
    z
      .string()
      .refine((v) => E164Schema.safeParse(v).success, `give the ${what} in international format, like +61411111111`)
      .pipe(E164Schema),
  );

/**
 * The Power Automate connector requires `first_name`, `last_name` and `phone_number`, but the
 * API itself only requires one way to reach the contact: a phone number, an email or a fax
 * number. We follow the API, so a list can hold email-only or fax-only contacts.
 */
const oneWayToReach = (contact: { phone_number?: unknown; email?: unknown; fax_number?: unknown }, ctx: z.RefinementCtx) => {
  if (contact.phone_number === undefined && contact.email === undefined && contact.fax_number === undefined) {
    ctx.addIssue({ code: 'custom', path: ['phone_number'], message: 'give a phone number, an email or a fax number' });
  }
};

export const ContactFieldsSchema = z
  .object({
    phone_number: phone('phone number'),
    email: optionalField(z.email('give an email address like name@example.com')),
    fax_number: phone('fax number'),
    first_name: text,
    last_name: text,
    organization_name: text,
    custom_1: text,
    custom_2: text,
    custom_3: text,
    custom_4: text,
    address_line_1: text,
    address_line_2: text,
    address_city: text,
    address_state: text,
    address_postal_code: text,
    address_country: text,
  })
  .superRefine(oneWayToReach);
export type ContactFields = z.input<typeof ContactFieldsSchema>;

/** `updated_after` (Unix seconds) narrows a listing to contacts changed since then. */
export interface ContactsQuery extends PageQuery {
  readonly updated_after?: number;
}

const UpdatedAfterSchema = z.object({ updated_after: z.number().int().nonnegative().optional() });

export const ContactSchema = z.looseObject({
  contact_id: looseNumber,
  list_id: optionalNumber,
  phone_number: optionalString,
  email: optionalString,
  fax_number: optionalString,
  first_name: optionalString,
  last_name: optionalString,
  organization_name: optionalString,
  custom_1: optionalString,
  custom_2: optionalString,
  custom_3: optionalString,
  custom_4: optionalString,
  address_line_1: optionalString,
  address_line_2: optionalString,
  address_city: optionalString,
  address_state: optionalString,
  address_postal_code: optionalString,
  address_country: optionalString,
  date_added: optionalNumber,
  date_updated: optionalNumber,
  _list_name: optionalString,
});
export type Contact = z.infer<typeof ContactSchema>;

const ContactPageSchema = pageOf(ContactSchema);

export const createContactsApi = (transport: Transport) => {
  const contactsPath = (operation: string, listId: number | string) =>
    `/lists/${verifyId(operation, 'list_id', listId)}/contacts`;
  const contactPath = (operation: string, listId: number | string, contactId: number | string) =>
    `${contactsPath(operation, listId)}/${verifyId(operation, 'contact_id', contactId)}`;

  return {
    /** The contacts of a list, a page at a time. */
    async list(listId: number | string, query?: ContactsQuery): Promise<Page<Contact>> {
      const path = contactsPath('contacts.list', listId);
      const page = verifyPageQuery('contacts.list', query);
      const since = verifyRequest('contacts.list', UpdatedAfterSchema, { updated_after: query?.updated_after });
      return transport.call({
        operation: 'contacts.list',
        method: 'GET',
        path,
        query: { ...page, ...since },
        data: ContactPageSchema,
      });
    },
    async get(listId: number | string, contactId: number | string): Promise<Contact> {
      const path = contactPath('contacts.get', listId, contactId);
      return transport.call({ operation: 'contacts.get', method: 'GET', path, data: ContactSchema });
    },
    async create(listId: number | string, contact: ContactFields): Promise<Contact> {
      const path = contactsPath('contacts.create', listId);
      const body = verifyRequest('contacts.create', ContactFieldsSchema, contact);
      return transport.call({ operation: 'contacts.create', method: 'POST', path, body, data: ContactSchema });
    },
    /** Replaces the contact's fields with these (ClickSend's PUT takes the same body as create). */
    async update(listId: number | string, contactId: number | string, contact: ContactFields): Promise<Contact> {
      const path = contactPath('contacts.update', listId, contactId);
      const body = verifyRequest('contacts.update', ContactFieldsSchema, contact);
      return transport.call({ operation: 'contacts.update', method: 'PUT', path, body, data: ContactSchema });
    },
    async delete(listId: number | string, contactId: number | string): Promise<void> {
      const path = contactPath('contacts.delete', listId, contactId);
      await transport.call({ operation: 'contacts.delete', method: 'DELETE', path, data: EmptyDataSchema });
    },
  };
};
export type ContactsApi = ReturnType<typeof createContactsApi>;
