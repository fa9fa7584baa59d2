import { z } from 'zod';
import { voiceBodySchema } from '../domain/limits.js';
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
import { OptionFlagSchema, optionalNumber, optionalString } from './schemas.js';
import type { Transport } from './transport.js';

/** ClickSend's language codes: `en-us`, `en-au`, `cmn-cn`, `en-gb-wls`; `GET /voice/lang` lists them. */
export const VoiceLangSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,4}){0,2}$/i, 'a language code such as en-us (see the voice languages)');

export const VoiceMessageSchema = z
  .object({
    // `to` may be a landline: E.164 does not tell them apart, and ClickSend calls both.
    ...recipientFields,
    body: voiceBodySchema,
    lang: VoiceLangSchema,
    voice: z.enum(['female', 'male']),
    require_input: OptionFlagSchema.optional(),
    machine_detection: OptionFlagSchema.optional(),
    ...commonMessageFields,
  })
  .superRefine(oneRecipient);
export type VoiceMessage = z.input<typeof VoiceMessageSchema>;

export const VoiceSentSchema = SentMessageSchema.extend({
  body: optionalString,
  to_type: optionalString,
  voice: optionalString,
  lang: optionalString,
  carrier: optionalString.nullable(),
  schedule: optionalNumber,
  date_added: optionalNumber,
  require_input: optionalNumber,
  machine_detection: optionalNumber,
  user_id: optionalString,
  subaccount_id: optionalString,
});
export type VoiceSent = z.infer<typeof VoiceSentSchema>;
export type VoiceResult = SendResult<VoiceSent>;

/** `gender` is one string when a language has one voice, an array when it has both. */
export const VoiceLanguageSchema = z.looseObject({
  code: z.string(),
  country: optionalString,
  gender: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((g) => (g === undefined ? [] : typeof g === 'string' ? [g] : g)),
});
export type VoiceLanguage = z.infer<typeof VoiceLanguageSchema>;

const VoiceRequestSchema = z.object({ messages: messageList(VoiceMessageSchema) });
const VoiceLanguagesSchema = z.array(VoiceLanguageSchema);

export const createVoiceApi = (transport: Transport, options: SendOptions) => {
  const api = createSendAndPrice(transport, options, 'voice', { request: VoiceRequestSchema, result: sendResultOf(VoiceSentSchema) });

  return {
    /** Calls each recipient and reads the text out; throws `ClickSendMessagesFailedError` if any was refused. */
    send: (messages: readonly VoiceMessage[]): Promise<VoiceResult> => api.send({ messages: [...messages] }),
    /** What the same send would cost, without calling anyone. */
    price: (messages: readonly VoiceMessage[]): Promise<VoiceResult> => api.price({ messages: [...messages] }),
    /** The languages ClickSend can read out, each with the voices (genders) it has. */
    async languages(): Promise<VoiceLanguage[]> {
      return transport.call({
        operation: 'voice.languages',
        method: 'GET',
        path: '/voice/lang',
        data: VoiceLanguagesSchema,
      });
    },
  };
};
export type VoiceApi = ReturnType<typeof createVoiceApi>;
