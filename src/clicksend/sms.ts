import { z } from 'zod';
import { smsBodySchema } from '../domain/sms-length.js';
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
import { EmptyDataSchema, optionalString } from './schemas.js';
import type { Transport } from './transport.js';

export const SmsMessageSchema = z
  .object({ ...recipientFields, body: smsBodySchema, from: SenderIdSchema.optional(), ...commonMessageFields })
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
export type SmsResult = SendResult<SmsSent>;

const SmsRequestSchema = z.object({ messages: messageList(SmsMessageSchema) });

export const createSmsApi = (transport: Transport, options: SendOptions) => {
  const api = createSendAndPrice(transport, options, 'sms', { request: SmsRequestSchema, result: sendResultOf(SmsSentSchema) });

  return {
    /** Sends one SMS per message; throws `ClickSendMessagesFailedError` if any was refused. */
    send: (messages: readonly SmsMessage[]): Promise<SmsResult> => api.send({ messages: [...messages] }),
    /** What the same send would cost, without sending (per message status shows bad numbers). */
    price: (messages: readonly SmsMessage[]): Promise<SmsResult> => api.price({ messages: [...messages] }),
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
