import { z } from 'zod';
import { E164Schema } from '../domain/phone.js';
import {
  commonMessageFields,
  createSendAndPrice,
  messageList,
  oneRecipient,
  recipientFields,
  SentMessageSchema,
  sendResultOf,
  type SendOptions,
  type SendResult,
} from './messages.js';
import { optionalNumber, optionalString } from './schemas.js';
import type { Transport } from './transport.js';
import { FileUrlSchema } from './urls.js';

export const FaxMessageSchema = z
  .object({
    ...recipientFields,
    // A fax is sent from a fax number (a dedicated one, or ClickSend's shared one when absent).
    from: E164Schema.optional(),
    ...commonMessageFields,
  })
  .superRefine(oneRecipient);
export type FaxMessage = z.input<typeof FaxMessageSchema>;

/** One PDF (at most 4 MB, every page portrait; ClickSend checks) faxed to every message's number. */
export const FaxSendSchema = z.object({ file_url: FileUrlSchema, messages: messageList(FaxMessageSchema) });
export type FaxSendRequest = z.input<typeof FaxSendSchema>;
export const FaxSentSchema = SentMessageSchema.extend({
  message_pages: optionalNumber,
  status_code: optionalString.nullable(),
  status_text: optionalString.nullable(),
  _file_url: optionalString,
  carrier: optionalString.nullable(),
  from_email: optionalString.nullable(),
  date_added: optionalNumber,
  schedule: optionalNumber,
  user_id: optionalString,
  subaccount_id: optionalString,
});
export type FaxSent = z.infer<typeof FaxSentSchema>;
export type FaxResult = SendResult<FaxSent>;

/** `send` faxes the PDF to every recipient; `price` says what that would cost. */
export const createFaxApi = (transport: Transport, options: SendOptions) =>
  createSendAndPrice(transport, options, 'fax', { request: FaxSendSchema, result: sendResultOf(FaxSentSchema) });
export type FaxApi = ReturnType<typeof createFaxApi>;
