import { z } from 'zod';
import { customStringSchema } from '../domain/limits.js';
import { E164Schema } from '../domain/phone.js';
import { InvalidRequestError } from '../errors.js';
import type { SendChannel } from '../metrics/instruments.js';
import { ClickSendError, ClickSendMessagesFailedError, ClickSendPartialSendError } from './errors.js';
import { verifyRequest } from './requests.js';
import { CountryCodeSchema, CurrencySchema, looseString, optionalNumber, optionalString } from './schemas.js';
import type { Transport } from './transport.js';

/**
 * What every "send" (SMS, MMS, voice, fax) has in common: recipients given as a number or a
 * contact list, batches of at most 1,000 messages a request, and a 200 answer whose messages
 * each carry their own status.
 */

/** ClickSend takes at most 1,000 messages in one send request. */
export const MAX_MESSAGES_PER_REQUEST = 1000;

/** The status ClickSend gives every message it accepted. */
export const ACCEPTED = 'SUCCESS';

/** The operations that send something, by the kind of send (the `channel` of the send metrics). */
export const SEND_CHANNELS: Readonly<Partial<Record<string, SendChannel>>> = {
  'sms.send': 'sms',
  'mms.send': 'mms',
  'voice.send': 'voice',
  'fax.send': 'fax',
  'post.sendLetter': 'letter',
  'post.sendPostcard': 'postcard',
};

/** How many messages (or post recipients) of a send's answer ClickSend accepted, and refused. */
export const countSent = (data: unknown): { accepted: number; refused: number } => {
  const rows = typeof data !== 'object' || data === null ? undefined : 'messages' in data ? data.messages : 'recipients' in data ? data.recipients : undefined;
  if (!Array.isArray(rows)) return { accepted: 0, refused: 0 };
  let accepted = 0;
  for (const row of rows) if (typeof row === 'object' && row !== null && 'status' in row && row.status === ACCEPTED) accepted += 1;
  return { accepted, refused: rows.length - accepted };
};

/** A ClickSend sender id: a number in E.164, or an alpha tag of 3 to 11 letters and digits. */
export const SenderIdSchema = z.union([
  E164Schema,
  z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9 ]{3,11}$/, 'a sender id is an E.164 number or 3-11 letters and digits'),
]);

/** Recipient of a message: a number, or every contact of a ClickSend list. */
export const recipientFields = {
  to: E164Schema.optional(),
  list_id: z.coerce.number().int().positive().optional(),
};

/** Exactly one of `to` and `list_id`, as ClickSend requires. */
export const oneRecipient = (message: { to?: unknown; list_id?: unknown }, ctx: z.RefinementCtx): void => {
  if ((message.to === undefined) === (message.list_id === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'give either a phone number (to) or a contact list (list_id), not both' });
  }
};

/** A Unix time in the future, in seconds, for a scheduled send. */
export const ScheduleSchema = z.number().int().positive();

/** The optional fields every kind of message takes. */
export const commonMessageFields = {
  custom_string: customStringSchema.optional(),
  schedule: ScheduleSchema.optional(),
  country: CountryCodeSchema.optional(),
};

/** At least one message, as every send needs. */
export const messageList = <T extends z.ZodType>(message: T) => z.array(message).min(1, 'give at least one recipient');

export const SentMessageSchema = z.looseObject({
  message_id: looseString,
  to: optionalString,
  from: optionalString,
  status: z.string(),
  custom_string: optionalString.nullable(),
  list_id: optionalNumber.nullable(),
  contact_id: optionalNumber.nullable(),
  message_parts: optionalNumber,
  message_price: optionalNumber,
  country: optionalString.nullable(),
  date: optionalNumber,
});
export type SentMessage = z.infer<typeof SentMessageSchema>;

export const sendResultOf = <M extends z.ZodType<SentMessage>>(message: M) =>
  z.looseObject({
    total_price: optionalNumber.transform((v) => v ?? 0),
    total_count: optionalNumber.transform((v) => v ?? 0),
    queued_count: optionalNumber.transform((v) => v ?? 0),
    blocked_count: optionalNumber,
    messages: z.array(message),
    _currency: CurrencySchema.optional(),
  });

export interface SendResult<M extends SentMessage = SentMessage> {
  total_price: number;
  total_count: number;
  queued_count: number;
  blocked_count?: number | undefined;
  messages: M[];
  _currency?: z.infer<typeof CurrencySchema> | undefined;
  [key: string]: unknown;
}

const merge = <M extends SentMessage>(into: SendResult<M> | undefined, next: SendResult<M>): SendResult<M> =>
  into === undefined
    ? next
    : {
        ...into,
        total_price: Math.round((into.total_price + next.total_price) * 1e6) / 1e6,
        total_count: into.total_count + next.total_count,
        queued_count: into.queued_count + next.queued_count,
        blocked_count:
          into.blocked_count === undefined && next.blocked_count === undefined
            ? undefined
            : (into.blocked_count ?? 0) + (next.blocked_count ?? 0),
        messages: [...into.messages, ...next.messages],
        _currency: into._currency ?? next._currency,
      };

/**
 * Sends `messages` in requests of at most 1,000, one after another (concurrency stays low, as
 * ClickSend asks). A failure after the first batch keeps what was already sent in a
 * `ClickSendPartialSendError`, so nobody sends those messages a second time.
 */
export const sendInBatches = async <T, M extends SentMessage>(
  operation: string,
  messages: readonly T[],
  send: (batch: readonly T[]) => Promise<SendResult<M>>,
): Promise<SendResult<M>> => {
  let result: SendResult<M> | undefined;
  for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_REQUEST) {
    const batch = messages.length <= MAX_MESSAGES_PER_REQUEST ? messages : messages.slice(start, start + MAX_MESSAGES_PER_REQUEST);
    try {
      result = merge(result, await send(batch));
    } catch (error) {
      if (result === undefined || !(error instanceof ClickSendError)) throw error;
      throw new ClickSendPartialSendError({ operation, sent: result, unsentCount: messages.length - start, cause: error });
    }
  }
  if (result === undefined) throw new InvalidRequestError({ operation, issues: [{ path: 'messages', message: 'no recipients' }] });
  return result;
};

/** Throws when ClickSend refused any message of an otherwise successful answer. */
type Row = { status: string; to?: string | undefined; address_name?: string | undefined };

export const verifyAllAccepted = <R extends { messages?: Row[]; recipients?: Row[] }>(operation: string, result: R): R => {
  const rows: Row[] = result.messages ?? result.recipients ?? [];
  if (rows.every((row) => row.status === ACCEPTED)) return result;
  const failed = rows
    .map((row, index) => ({ index, to: row.to ?? row.address_name ?? '', status: row.status }))
    .filter((row) => row.status !== ACCEPTED);
  throw new ClickSendMessagesFailedError({ operation, result, failed, total: rows.length });
};

export interface SendOptions {
  /** Tags every message so ClickSend's reports show which application sent it. */
  readonly source: string;
}

/**
 * One way of sending (SMS, MMS, voice, fax): validates the whole request, then posts its
 * messages in batches, each batch carrying the request's shared fields (`media_file`,
 * `file_url`) and every message our `source` tag.
 */
export const createSender = <S extends z.ZodType<{ messages: object[] }>, M extends SentMessage>(
  transport: Transport,
  options: SendOptions,
  schemas: { readonly request: S; readonly result: z.ZodType<SendResult<M>> },
) => {
  const tag = { source: options.source };
  return async (operation: string, path: string, input: z.input<S>): Promise<SendResult<M>> => {
    const { messages, ...shared } = verifyRequest(operation, schemas.request, input);
    // zod's output is a fresh copy of every message, never the caller's object: tag it in place.
    for (const message of messages) Object.assign(message, tag);
    return sendInBatches(operation, messages, (batch) =>
      transport.call({ operation, method: 'POST', path, body: { ...shared, messages: batch }, data: schemas.result }),
    );
  };
};

/**
 * The `send` and `price` pair of an area whose paths are `/<area>/send` and `/<area>/price`.
 * `send` throws when ClickSend refused any message; `price` reports the statuses instead.
 */
export const createSendAndPrice = <S extends z.ZodType<{ messages: object[] }>, M extends SentMessage>(
  transport: Transport,
  options: SendOptions,
  area: string,
  schemas: { readonly request: S; readonly result: z.ZodType<SendResult<M>> },
) => {
  const post = createSender(transport, options, schemas);
  const send = { operation: `${area}.send`, path: `/${area}/send` };
  const price = { operation: `${area}.price`, path: `/${area}/price` };
  return {
    async send(input: z.input<S>): Promise<SendResult<M>> {
      return verifyAllAccepted(send.operation, await post(send.operation, send.path, input));
    },
    async price(input: z.input<S>): Promise<SendResult<M>> {
      return post(price.operation, price.path, input);
    },
  };
};
