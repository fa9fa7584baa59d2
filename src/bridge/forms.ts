import { z } from 'zod';
import { customStringSchema, mmsBodySchema, mmsSubjectSchema, voiceBodySchema } from '../domain/limits.js';
import { phoneNumberInput, type CountryCode } from '../domain/phone.js';
import { smsBodySchema } from '../domain/sms-length.js';
import { oneRecipient } from '../clicksend/messages.js';
import { addressFields } from '../clicksend/post.js';
import { IdSchema } from '../clicksend/requests.js';
import { OptionFlagSchema } from '../clicksend/schemas.js';
import { FileUrlSchema } from '../clicksend/urls.js';
import { VoiceLangSchema } from '../clicksend/voice.js';

/**
 * What a person typed into a form (or a command), read with the same field schemas the
 * ClickSend client validates with, plus what only people need: local phone numbers read for
 * DEFAULT_COUNTRY, and empty inputs meaning "not given". Each form's keys are the contract's
 * input ids, which are ClickSend's parameter names.
 */

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** An optional input: empty means not given. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** A required input: empty gets `message`, anything else the field's own checks. */
const required = <T extends z.ZodType>(schema: T, message: string) =>
  z.preprocess(blankToUndefined, z.any().superRefine((v, ctx) => {
    if (v === undefined) ctx.addIssue({ code: 'custom', message, abort: true });
  }).pipe(schema));

/** Message texts: an empty one gets the field's own "is empty" wording. */
const textOf = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === undefined || v === null ? '' : v), schema);

/**
 * An id picked in a form or carried in card data: Teams submits it as text. `IdSchema` coerces
 * whatever it gets, so on its own it would read `true` as list 1 and `[5]` as list 5 from a
 * tampered submission.
 */
export const IdInputSchema = z
  .custom<string | number>(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) || (typeof v === 'number' && Number.isInteger(v)),
    'expected an id (a whole number)',
  )
  .pipe(IdSchema);

const addressInputs = {
  address_name: required(addressFields.address_name, 'give the name on the envelope'),
  address_line_1: required(addressFields.address_line_1, 'give the first line of the address'),
  address_line_2: optional(z.string().trim()),
  address_city: required(addressFields.address_city, 'give the city'),
  address_state: required(addressFields.address_state, 'give the state'),
  address_postal_code: required(addressFields.address_postal_code, 'give the postal code'),
  address_country: required(addressFields.address_country, 'give a two-letter country code such as AU'),
  return_address_id: required(IdInputSchema, 'pick a return address'),
};

/**
 * A file URL a person typed for ClickSend to fetch: `FileUrlSchema`'s rules (https, at most
 * 2,048 characters, a host), and none of what a pasted URL must not carry. Credentials would
 * reach ClickSend and its logs; spaces or control characters inside would be silently dropped
 * by URL parsing, so the URL ClickSend got would not be the one shown in the card.
 */
const fileUrlInput = FileUrlSchema.refine((value) => !/[\s\u0000-\u001f\u007f]/.test(value), 'a URL may not contain spaces or line breaks').refine(
  (value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''),
  'remove the user name and password from the URL',
);

export const createFormSchemas = (country: CountryCode) => {
  const phone = phoneNumberInput(country);
  const recipient = { to: optional(phone), list_id: optional(IdInputSchema) };
  const reference = { custom_string: optional(customStringSchema) };
  return {
    sms: z.object({ ...recipient, body: textOf(smsBodySchema), ...reference }).superRefine(oneRecipient),
    mms: z
      .object({
        ...recipient,
        subject: textOf(mmsSubjectSchema),
        body: textOf(mmsBodySchema),
        media_file: required(fileUrlInput, 'give the https:// URL of the picture'),
        ...reference,
      })
      .superRefine(oneRecipient),
    voice: z
      .object({
        ...recipient,
        body: textOf(voiceBodySchema),
        lang: required(VoiceLangSchema, 'pick a language'),
        voice: required(z.enum(['female', 'male'], 'pick female or male'), 'pick a voice'),
        require_input: optional(OptionFlagSchema),
        machine_detection: optional(OptionFlagSchema),
        ...reference,
      })
      .superRefine(oneRecipient),
    fax: z
      .object({ ...recipient, file_url: required(fileUrlInput, 'give the https:// URL of the PDF'), ...reference })
      .superRefine(oneRecipient),
    letter: z.object({
      file_url: required(fileUrlInput, 'give the https:// URL of the PDF'),
      template_used: optional(OptionFlagSchema),
      colour: required(OptionFlagSchema, 'pick colour or black and white'),
      duplex: required(OptionFlagSchema, 'pick single- or double-sided'),
      priority_post: optional(OptionFlagSchema),
      ...addressInputs,
    }),
    postcard: z.object({
      file_urls: required(
        z
          .string()
          .transform((v) => v.split(/[\s,]+/).filter((url) => url !== ''))
          .pipe(z.array(fileUrlInput).min(1).max(2, 'give one or two PDF URLs (front and back)')),
        'give one or two PDF URLs',
      ),
      ...addressInputs,
    }),
    list: z.object({ list_name: required(z.string().trim().max(100, 'at most 100 characters'), 'give the list a name') }),
    contact: z
      .object({
        list_id: required(IdInputSchema, 'pick a contact list'),
        phone_number: optional(phone),
        fax_number: optional(phone),
        email: optional(z.email('give an email address like name@example.com')),
        first_name: optional(z.string().trim()),
        last_name: optional(z.string().trim()),
        organization_name: optional(z.string().trim()),
        address_line_1: optional(z.string().trim()),
        address_line_2: optional(z.string().trim()),
        address_city: optional(z.string().trim()),
        address_state: optional(z.string().trim()),
        address_postal_code: optional(z.string().trim()),
        address_country: optional(z.string().trim()),
        custom_1: optional(z.string().trim()),
        custom_2: optional(z.string().trim()),
        custom_3: optional(z.string().trim()),
        custom_4: optional(z.string().trim()),
      })
      .superRefine((contact, ctx) => {
        if (!contact.phone_number && !contact.email && !contact.fax_number) {
          ctx.addIssue({ code: 'custom', path: ['phone_number'], message: 'give a phone number, an email or a fax number' });
        }
      }),
  };
};

export type FormSchemas = ReturnType<typeof createFormSchemas>;
export type FormName = keyof FormSchemas;

/** Input id -> what is wrong with it, for the form card to show under each input. */
export type FormErrors = Record<string, string>;

export type FormParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FormErrors };

/** Reads a submission; the first problem of each input is kept, keyed by the input id. */
export const parseForm = <S extends z.ZodType>(schema: S, values: Readonly<Record<string, unknown>>): FormParse<z.output<S>> => {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
};

/** The submitted values as strings, to show again in a form that was refused. */
export const formValues = (data: Readonly<Record<string, unknown>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(data).flatMap(([key, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : [],
    ),
  );
