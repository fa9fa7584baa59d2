import { z } from 'zod';
import { customStringSchema } from '../domain/limits.js';
import { IdSchema, verifyId, verifyPageQuery, verifyRequest } from './requests.js';
import { MAX_MESSAGES_PER_REQUEST, ScheduleSchema, verifyAllAccepted } from './messages.js';
import {
  OptionFlagSchema,
  CurrencySchema,
  EmptyDataSchema,
  looseNumber,
  optionalNumber,
  optionalString,
  pageOf,
  type Page,
  type PageQuery,
} from './schemas.js';
import type { Transport } from './transport.js';
import { FileUrlSchema } from './urls.js';

const text = () => z.string().trim().min(1, 'required');


/** A postal address as ClickSend names its fields; the country is an ISO code such as `AU`. */
export const addressFields = {
  address_name: text(),
  address_line_1: text(),
  address_line_2: z.string().trim().optional(),
  address_city: text(),
  address_state: text(),
  address_postal_code: text(),
  address_country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, 'a two-letter country code such as AU'),
};

export const PostRecipientSchema = z.object({
  ...addressFields,
  /** A return address already on the account (`returnAddresses.create` makes one). */
  return_address_id: IdSchema,
  custom_string: customStringSchema.optional(),
  schedule: ScheduleSchema.optional(),
});
export type PostRecipient = z.input<typeof PostRecipientSchema>;

// ClickSend documents no per-request limit for post; we keep the 1,000 of its other sends.
const RecipientsSchema = z
  .array(PostRecipientSchema)
  .min(1, 'give at least one recipient')
  .max(MAX_MESSAGES_PER_REQUEST, `at most ${MAX_MESSAGES_PER_REQUEST} recipients a request`);

/** A PDF letter (at most 10 MB, every page portrait; ClickSend checks). */
export const LetterSendSchema = z.object({
  file_url: FileUrlSchema,
  template_used: OptionFlagSchema.optional(),
  /** 0 black and white, 1 colour. */
  colour: OptionFlagSchema,
  /** 0 single-sided, 1 double-sided. */
  duplex: OptionFlagSchema,
  priority_post: OptionFlagSchema.optional(),
  recipients: RecipientsSchema,
});
export type LetterSendRequest = z.input<typeof LetterSendSchema>;

/** One PDF (both sides) or two (front, back); forms may give them as one string of URLs. */
export const PostcardSendSchema = z.object({
  file_urls: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (typeof v === 'string' ? v.split(/[\s,]+/).filter((url) => url !== '') : v))
    .pipe(z.array(FileUrlSchema).min(1, 'give one or two file URLs').max(2, 'give one or two file URLs')),
  recipients: RecipientsSchema,
});
export type PostcardSendRequest = z.input<typeof PostcardSendSchema>;

export const ReturnAddressInputSchema = z.object({ ...addressFields, address_state: text().optional() });
export type ReturnAddressInput = z.input<typeof ReturnAddressInputSchema>;

/** ClickSend's `post_return_address`. */
export const ReturnAddressSchema = z.looseObject({
  return_address_id: looseNumber,
  user_id: optionalNumber,
  address_name: optionalString,
  address_line_1: optionalString,
  address_line_2: optionalString.nullable(),
  address_city: optionalString,
  address_state: optionalString.nullable(),
  address_postal_code: optionalString,
  address_country: optionalString,
});
export type ReturnAddress = z.infer<typeof ReturnAddressSchema>;

// Built once: answers are checked with compiled schemas, made once per schema object.
const ReturnAddressPageSchema = pageOf(ReturnAddressSchema);

export const PostSentSchema = z.looseObject({
  message_id: optionalString,
  status: z.string(),
  address_name: optionalString,
  address_line_1: optionalString,
  address_line_2: optionalString.nullable(),
  address_city: optionalString,
  address_state: optionalString.nullable(),
  address_postal_code: optionalString,
  address_country: optionalString,
  return_address_id: optionalNumber,
  custom_string: optionalString.nullable(),
  source: optionalString,
  colour: optionalNumber,
  duplex: optionalNumber,
  priority_post: optionalNumber,
  post_pages: optionalNumber,
  post_price: optionalNumber,
  schedule: optionalNumber,
  date_added: optionalNumber,
  _file_url: optionalString,
  _return_address: ReturnAddressSchema.nullable().optional(),
  _api_username: optionalString,
});
export type PostSent = z.infer<typeof PostSentSchema>;

export const PostResultSchema = z.looseObject({
  total_price: optionalNumber.transform((v) => v ?? 0),
  total_count: optionalNumber.transform((v) => v ?? 0),
  queued_count: optionalNumber.transform((v) => v ?? 0),
  recipients: z.array(PostSentSchema),
  _currency: CurrencySchema.optional(),
});
export type PostResult = z.infer<typeof PostResultSchema>;

export interface PostApiOptions {
  /** Tags every send so ClickSend's reports show which application sent it. */
  readonly source: string;
}

export const createPostApi = (transport: Transport, options: PostApiOptions) => {
  const post = (operation: string, path: string, request: object) =>
    transport.call({ operation, method: 'POST', path, body: { ...request, source: options.source }, data: PostResultSchema });
  const letter = (operation: string, path: string, input: LetterSendRequest) =>
    post(operation, path, verifyRequest(operation, LetterSendSchema, input));
  const postcard = (operation: string, path: string, input: PostcardSendRequest) =>
    post(operation, path, verifyRequest(operation, PostcardSendSchema, input));

  const addressPath = (operation: string, id: number | string) =>
    `/post/return-addresses/${verifyId(operation, 'return_address_id', id)}`;

  return {
    /** Posts the letter to every recipient; throws `ClickSendMessagesFailedError` if any was refused. */
    async sendLetter(input: LetterSendRequest): Promise<PostResult> {
      return verifyAllAccepted('post.sendLetter', await letter('post.sendLetter', '/post/letters/send', input));
    },
    /** What the same letter would cost, without posting it. */
    async priceLetter(input: LetterSendRequest): Promise<PostResult> {
      return letter('post.priceLetter', '/post/letters/price', input);
    },
    /** Posts the postcard to every recipient; throws `ClickSendMessagesFailedError` if any was refused. */
    async sendPostcard(input: PostcardSendRequest): Promise<PostResult> {
      return verifyAllAccepted('post.sendPostcard', await postcard('post.sendPostcard', '/post/postcards/send', input));
    },
    /** What the same postcard would cost, without posting it. */
    async pricePostcard(input: PostcardSendRequest): Promise<PostResult> {
      return postcard('post.pricePostcard', '/post/postcards/price', input);
    },
    returnAddresses: {
      async list(query?: PageQuery): Promise<Page<ReturnAddress>> {
        const operation = 'post.returnAddresses.list';
        const { page, limit } = verifyPageQuery(operation, query);
        return transport.call({ operation, method: 'GET', path: '/post/return-addresses', query: { page, limit }, data: ReturnAddressPageSchema });
      },
      async get(id: number | string): Promise<ReturnAddress> {
        const operation = 'post.returnAddresses.get';
        return transport.call({ operation, method: 'GET', path: addressPath(operation, id), data: ReturnAddressSchema });
      },
      async create(address: ReturnAddressInput): Promise<ReturnAddress> {
        const operation = 'post.returnAddresses.create';
        const body = verifyRequest(operation, ReturnAddressInputSchema, address);
        return transport.call({ operation, method: 'POST', path: '/post/return-addresses', body, data: ReturnAddressSchema });
      },
      /** Replaces the whole address (ClickSend's PUT takes the same required fields as create). */
      async update(id: number | string, address: ReturnAddressInput): Promise<ReturnAddress> {
        const operation = 'post.returnAddresses.update';
        const path = addressPath(operation, id);
        const body = verifyRequest(operation, ReturnAddressInputSchema, address);
        return transport.call({ operation, method: 'PUT', path, body, data: ReturnAddressSchema });
      },
      async delete(id: number | string): Promise<void> {
        const operation = 'post.returnAddresses.delete';
        await transport.call({ operation, method: 'DELETE', path: addressPath(operation, id), data: EmptyDataSchema });
      },
    },
  };
};
export type PostApi = ReturnType<typeof createPostApi>;
