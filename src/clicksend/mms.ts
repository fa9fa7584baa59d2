import { z } from 'zod';
import { customStringSchema, mmsBodySchema, mmsSubjectSchema } from '../domain/limits.js';
import {
  oneRecipient,
  recipientFields,
  ScheduleSchema,
  SenderIdSchema,
  SentMessageSchema,
  sendInBatches,
  sendResultOf,
  verifyAllAccepted,
  verifyRequest,
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
    custom_string: customStringSchema.optional(),
    schedule: ScheduleSchema.optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .superRefine(oneRecipient);
export type MmsMessage = z.input<typeof MmsMessageSchema>;

/** One picture for every message of the send (ClickSend takes one `media_file` a request). */
export const MmsSendSchema = z.object({
  media_file: FileUrlSchema,
  messages: z.array(MmsMessageSchema).min(1, 'give at least one recipient'),
});
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
const MmsResultSchema = sendResultOf(MmsSentSchema);
export type MmsResult = SendResult<MmsSent>;

export interface MmsApiOptions {
  /** Tags every message so ClickSend's reports show which application sent it. */
  readonly source: string;
}

export const createMmsApi = (transport: Transport, options: MmsApiOptions) => {
  const post = (operation: string, path: string, input: MmsSendRequest) => {
    const valid = verifyRequest(operation, MmsSendSchema, input);
    return sendInBatches(operation, valid.messages, (batch) =>
      transport.call({
        operation,
        method: 'POST',
        path,
        body: { media_file: valid.media_file, messages: batch.map((m) => ({ ...m, source: options.source })) },
        data: MmsResultSchema,
      }),
    );
  };

  return {
    /** Sends the picture with one MMS per message; throws `ClickSendMessagesFailedError` if any was refused. */
    async send(input: MmsSendRequest): Promise<MmsResult> {
      return verifyAllAccepted('mms.send', await post('mms.send', '/mms/send', input));
    },
    /** What the same send would cost, without sending (per message status shows bad numbers). */
    async price(input: MmsSendRequest): Promise<MmsResult> {
      return post('mms.price', '/mms/price', input);
    },
  };
};
export type MmsApi = ReturnType<typeof createMmsApi>;
