/** Request-body pieces shared by the SMS, MMS, voice and fax sends. */
import { z } from 'zod';
import { looseText, optionalInt } from './validation.js';

/** Fields every message of a send may carry; unknown keys are kept, as ClickSend ignores them. */
export const messageFields = {
  to: looseText,
  list_id: optionalInt,
  from: looseText,
  source: looseText,
  schedule: z.unknown().optional(),
  custom_string: looseText,
  country: looseText,
};

export const messagesArray = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, { error: 'must hold at least one message' });

export const SmsMessageSchema = z.looseObject({ ...messageFields, body: looseText, from_email: looseText });
export const SmsSendSchema = z.looseObject({ messages: messagesArray(SmsMessageSchema) });
export type SmsMessageInput = z.infer<typeof SmsMessageSchema>;
