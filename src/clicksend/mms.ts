import { z } from 'zod';
import { mmsBodySchema, mmsSubjectSchema } from '../domain/limits.js';
import {
  commonMessageFields,
  createSendAndPrice,
  messageList,
  oneRecipient,
  recipientFields,
  SenderIdSchema,
  SentMessageSchema,
  sendResultOf,
  type SendOptions,
  type SendResult,
} from './messages.js';
import { optionalNumber, optionalString } from './schemas.js';
import type { Transport } from './transport.js';
import { FileUrlSchema } from './urls.js';

export const MmsMessageSchema = z
  .object({
    ...recipientFields,
    subject: mmsSubjectSchema,
    body: mmsBodySchema,
    from: SenderIdSchema.optional(),
    ...commonMessageFields,
  })
  .superRefine(oneRecipient);
export type MmsMessage = z.input<typeof MmsMessageSchema>;

/** One picture for every message of the send (ClickSend takes one `media_file` a request). */
export const MmsSendSchema = z.object({ media_file: FileUrlSchema, messages: messageList(MmsMessageSchema) });
export type MmsSendRequest = z.input<typeof MmsSendSchema>;
export const MmsSentSchema = SentMessageSchema.extend({
  subject: optionalString,
  body: optionalString,
  _media_file_url: optionalString,
  schedule: optionalNumber,
  from_email: optionalString.nullable(),
  user_id: optionalString,
  subaccount_id: optionalString,
});
export type MmsSent = z.infer<typeof MmsSentSchema>;
export type MmsResult = SendResult<MmsSent>;

/** `send` sends the picture with one MMS per message; `price` says what that would cost. */
export const createMmsApi = (transport: Transport, options: SendOptions) =>
  createSendAndPrice(transport, options, 'mms', { request: MmsSendSchema, result: sendResultOf(MmsSentSchema) });
export type MmsApi = ReturnType<typeof createMmsApi>;
