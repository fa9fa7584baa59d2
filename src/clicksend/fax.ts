import { z } from 'zod';
import { customStringSchema } from '../domain/limits.js';
import { E164Schema } from '../domain/phone.js';
import {
  oneRecipient,
  recipientFields,
  ScheduleSchema,
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

export const FaxMessageSchema = z
  .object({
    ...recipientFields,
    // A fax is sent from a fax number (a dedicated one, or ClickSend's shared one when absent).
    from: E164Schema.optional(),
    custom_string: customStringSchema.optional(),
    schedule: ScheduleSchema.optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .superRefine(oneRecipient);
export type FaxMessage = z.input<typeof FaxMessageSchema>;

/** One PDF (at most 4 MB, every page portrait; ClickSend checks) faxed to every message's number. */
export const FaxSendSchema = z.object({
  file_url: FileUrlSchema,
  messages: z.array(FaxMessageSchema).min(1, 'give at least one recipient'),
});
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
const FaxResultSchema = sendResultOf(FaxSentSchema);
export type FaxResult = SendResult<FaxSent>;

export interface FaxApiOptions {
  /** Tags every message so ClickSend's reports show which application sent it. */
  readonly source: string;
}

export const createFaxApi = (transport: Transport, options: FaxApiOptions) => ({
  /** Faxes the PDF to every recipient; throws `ClickSendMessagesFailedError` if any was refused. */
  async send(input: FaxSendRequest): Promise<FaxResult> {
    const operation = 'fax.send';
    const valid = verifyRequest(operation, FaxSendSchema, input);
    const result = await sendInBatches(operation, valid.messages, (batch) =>
      transport.call({
        operation,
        method: 'POST',
        path: '/fax/send',
        body: { file_url: valid.file_url, messages: batch.map((m) => ({ ...m, source: options.source })) },
        data: FaxResultSchema,
      }),
    );
    return verifyAllAccepted(operation, result);
  },
});
export type FaxApi = ReturnType<typeof createFaxApi>;
