import { z } from 'zod';
import { E164Schema } from '../domain/phone.js';
import {
  commonMessageFields,
  createSender,
  messageList,
  oneRecipient,
  recipientFields,
  SentMessageSchema,
  sendResultOf,
  verifyAllAccepted,
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

export const createFaxApi = (transport: Transport, options: SendOptions) => {
  const post = createSender(transport, options, { request: FaxSendSchema, result: sendResultOf(FaxSentSchema) });

  return {
    /** Faxes the PDF to every recipient; throws `ClickSendMessagesFailedError` if any was refused. */
    async send(input: FaxSendRequest): Promise<FaxResult> {
      return verifyAllAccepted('fax.send', await post('fax.send', '/fax/send', input));
    },
    /** What the same fax would cost, without sending it. */
    async price(input: FaxSendRequest): Promise<FaxResult> {
      return post('fax.price', '/fax/price', input);
    },
  };
};
export type FaxApi = ReturnType<typeof createFaxApi>;
