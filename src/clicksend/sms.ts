import { z } from 'zod';
import { customStringSchema } from '../domain/limits.js';
import { smsBodySchema } from '../domain/sms-length.js';
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
import { EmptyDataSchema, optionalString } from './schemas.js';
import type { Transport } from './transport.js';

export const SmsMessageSchema = z
  .object({
    ...recipientFields,
    body: smsBodySchema,
    from: SenderIdSchema.optional(),
    custom_string: customStringSchema.optional(),
    schedule: ScheduleSchema.optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
  })
  .superRefine(oneRecipient);
export type SmsMessage = z.input<typeof SmsMessageSchema>;

export const SmsSentSchema = SentMessageSchema.extend({
  body: optionalString,
  direction: optionalString,
  carrier: optionalString.nullable(),
  from_email: optionalString.nullable(),
  user_id: optionalString,
  subaccount_id: optionalString,
});
export type SmsSent = z.infer<typeof SmsSentSchema>;
const SmsResultSchema = sendResultOf(SmsSentSchema);
export type SmsResult = SendResult<SmsSent>;

const SmsBatchSchema = z.array(SmsMessageSchema).min(1, 'give at least one recipient');

export interface SmsApiOptions {
  /** Tags every message so ClickSend's reports show which application sent it. */
  readonly source: string;
}

export const createSmsApi = (transport: Transport, options: SmsApiOptions) => {
  const post = (operation: string, path: string, messages: readonly SmsMessage[]) => {
    const valid = verifyRequest(operation, SmsBatchSchema, messages);
    return sendInBatches(operation, valid, (batch) =>
      transport.call({
        operation,
        method: 'POST',
        path,
        body: { messages: batch.map((m) => ({ ...m, source: options.source })) },
        data: SmsResultSchema,
      }),
    );
  };

  return {
    /** Sends one SMS per message; throws `ClickSendMessagesFailedError` if any was refused. */
    async send(messages: readonly SmsMessage[]): Promise<SmsResult> {
      return verifyAllAccepted('sms.send', await post('sms.send', '/sms/send', messages));
    },
    /** What the same send would cost, without sending (per message status shows bad numbers). */
    async price(messages: readonly SmsMessage[]): Promise<SmsResult> {
      return post('sms.price', '/sms/price', messages);
    },
    /** Cancels a scheduled SMS. */
    async cancel(messageId: string): Promise<void> {
      await transport.call({
        operation: 'sms.cancel',
        method: 'PUT',
        path: `/sms/${encodeURIComponent(messageId)}/cancel`,
        data: EmptyDataSchema,
      });
    },
    /** Cancels every scheduled SMS (with this `custom_string`, when given). */
    async cancelAll(customString?: string): Promise<void> {
      await transport.call({
        operation: 'sms.cancelAll',
        method: 'PUT',
        path: '/sms/cancel-all',
        body: customString === undefined ? {} : { custom_string: customString },
        data: EmptyDataSchema,
      });
    },
  };
};
export type SmsApi = ReturnType<typeof createSmsApi>;
