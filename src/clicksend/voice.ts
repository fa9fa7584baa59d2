import { z } from 'zod';
import { customStringSchema, voiceBodySchema } from '../domain/limits.js';
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

/**
 * A ClickSend 0/1 option. Card inputs submit "0"/"1" or a toggle's true/false, so those are
 * read too; ClickSend always gets the number.
 */
export const OptionFlagSchema = z
  .union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()])
  .transform((v): 0 | 1 => (v === 1 || v === '1' || v === true ? 1 : 0));

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
    custom_string: customStringSchema.optional(),
    schedule: ScheduleSchema.optional(),
    country: z.string().regex(/^[A-Z]{2}$/).optional(),
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
const VoiceResultSchema = sendResultOf(VoiceSentSchema);
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

const VoiceBatchSchema = z.array(VoiceMessageSchema).min(1, 'give at least one recipient');

export interface VoiceApiOptions {
  /** Tags every message so ClickSend's reports show which application sent it. */
  readonly source: string;
}

export const createVoiceApi = (transport: Transport, options: VoiceApiOptions) => {
  const post = (operation: string, path: string, messages: readonly VoiceMessage[]) => {
    const valid = verifyRequest(operation, VoiceBatchSchema, messages);
    return sendInBatches(operation, valid, (batch) =>
      transport.call({
        operation,
        method: 'POST',
        path,
        body: { messages: batch.map((m) => ({ ...m, source: options.source })) },
        data: VoiceResultSchema,
      }),
    );
  };

  return {
    /** Calls each recipient and reads the text out; throws `ClickSendMessagesFailedError` if any was refused. */
    async send(messages: readonly VoiceMessage[]): Promise<VoiceResult> {
      return verifyAllAccepted('voice.send', await post('voice.send', '/voice/send', messages));
    },
    /** What the same send would cost, without calling anyone. */
    async price(messages: readonly VoiceMessage[]): Promise<VoiceResult> {
      return post('voice.price', '/voice/price', messages);
    },
    /** The languages ClickSend can read out, each with the voices (genders) it has. */
    async languages(): Promise<VoiceLanguage[]> {
      return transport.call({
        operation: 'voice.languages',
        method: 'GET',
        path: '/voice/lang',
        data: z.array(VoiceLanguageSchema),
      });
    },
  };
};
export type VoiceApi = ReturnType<typeof createVoiceApi>;
