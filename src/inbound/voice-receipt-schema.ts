import { z } from 'zod';
import type { DeliveryReceipt, OutboundStatus } from '../store/relay.js';
import { foldAliases, id, pushObject, string, text, WEBHOOK_FIELD_LIMITS, type Aliases, type PushSchemaOptions } from './schemas.js';

/**
 * ClickSend's voice delivery receipt push (`GET /voice/receipts` describes its fields) ->
 * `DeliveryReceipt`. Unlike the SMS receipt it carries `status` (`Delivered` or `Undelivered`)
 * beside `status_code`, whose voice codes ClickSend leaves to a table it does not publish, and
 * `digits`, the keys the callee pressed. So an undocumented code or word is not refused (a 400
 * would have ClickSend push it again, and nobody can fix it): it is taken as `sent`, which
 * never overrides a final status, with the raw values kept in the status text for the card.
 */

export const VOICE_RECEIPT_ALIASES = {
  message_id: ['message_id'],
  status: ['status'],
  status_code: ['status_code'],
  status_text: ['status_text'],
  error_text: ['error_text'],
  digits: ['digits'],
} as const satisfies Aliases;

/** What a receipt says of the call; `retrying` is ClickSend's temporary failure (300). */
type VoiceOutcome = 'sent' | 'retrying' | 'delivered' | 'failed';

// Maps, not object literals: a push's `status` of `constructor` must not find Object's own.
/** The codes of SMS receipts, which voice receipts share (ClickSend's voice example is 201). */
const OUTCOME_BY_CODE: ReadonlyMap<string, VoiceOutcome> = new Map([
  ['200', 'sent'],
  ['201', 'delivered'],
  ['300', 'retrying'],
  ['301', 'failed'],
]);
const OUTCOME_BY_WORD: ReadonlyMap<string, VoiceOutcome> = new Map([
  ['delivered', 'delivered'],
  ['undelivered', 'failed'],
]);

/** Our bounds: ClickSend's codes are three digits and its words one; a call's key presses are few. */
const CODE_MAX = 20;
const WORD_MAX = 100;
const KEYPAD = /^[0-9*#]{1,100}$/;

const v = VOICE_RECEIPT_ALIASES;
const VoiceReceiptFields = z
  .object({
    message_id: id(v.message_id),
    status: string(v.status).trim().max(WORD_MAX, `at most ${WORD_MAX} characters`).optional(),
    // A JSON number or (form posts) a string; kept as text, since an unknown code is kept raw.
    status_code: z
      .union([z.number(), z.string()], { error: 'expected a status code such as 201' })
      .transform((code) => String(code).trim())
      .pipe(z.string().max(CODE_MAX, `at most ${CODE_MAX} characters`))
      .optional(),
    status_text: text(v.status_text, WEBHOOK_FIELD_LIMITS.statusText).optional(),
    error_text: text(v.error_text, WEBHOOK_FIELD_LIMITS.statusText).optional(),
    // Shown on the card when it is key presses; anything else is dropped rather than refused.
    digits: z
      .unknown()
      .transform((digits) => (typeof digits === 'string' || typeof digits === 'number' ? String(digits).trim() : ''))
      .transform((digits) => (KEYPAD.test(digits) ? digits : undefined))
      .optional(),
  })
  .refine((push) => push.status !== undefined || push.status_code !== undefined, {
    path: ['status_code'],
    message: 'required (or status: Delivered or Undelivered)',
    // Checked even when another field failed, so that one answer names every missing field.
    when: () => true,
  });
type VoicePush = z.output<typeof VoiceReceiptFields>;

/** The code decides when ClickSend documents it, else the word; neither known: undefined. */
const outcomeOf = (push: VoicePush): VoiceOutcome | undefined =>
  (push.status_code === undefined ? undefined : OUTCOME_BY_CODE.get(push.status_code)) ??
  (push.status === undefined ? undefined : OUTCOME_BY_WORD.get(push.status.toLowerCase()));

const withDigits = (statusText: string | undefined, digits: string | undefined): string | undefined =>
  digits === undefined ? statusText : `${statusText ?? 'Delivered'} (keys pressed: ${digits})`;

/** Every raw value of a receipt we cannot read, so that the card still says what ClickSend said. */
const unrecognised = (push: VoicePush): string => {
  const label = [push.status, push.status_code === undefined ? undefined : `code ${push.status_code}`].filter(Boolean).join(', ') || 'blank';
  const detail = [...new Set([push.status_text, push.error_text])].filter(Boolean).join('; ');
  return `Unrecognised ClickSend voice status (${label})${detail ? `: ${detail}` : ''}`;
};

const statusOf = (push: VoicePush): { status: OutboundStatus; statusText: string | undefined } => {
  const outcome = outcomeOf(push);
  switch (outcome) {
    case 'sent':
      return { status: 'sent', statusText: push.status_text ?? push.error_text };
    case 'delivered':
      return { status: 'delivered', statusText: withDigits(push.status_text ?? push.error_text, push.digits) };
    case 'retrying': {
      const detail = push.error_text ?? push.status_text;
      return { status: 'sent', statusText: `Not delivered yet, ClickSend is retrying${detail ? `: ${detail}` : ''}` };
    }
    case 'failed':
      return { status: 'failed', statusText: push.error_text ?? push.status_text ?? 'Undelivered' };
    case undefined:
      return { status: 'sent', statusText: unrecognised(push) };
    default: {
      const _never: never = outcome;
      return _never;
    }
  }
};

/** The voice-receipt push -> `DeliveryReceipt` (`receivedAt` from the clock); compiled, as the others. */
export const createVoiceReceiptSchema = ({ now }: PushSchemaOptions): z.ZodType<DeliveryReceipt> =>
  z.compile(
    pushObject
      .transform(foldAliases(VOICE_RECEIPT_ALIASES))
      .pipe(VoiceReceiptFields)
      .transform((push): DeliveryReceipt => ({ messageId: push.message_id, ...statusOf(push), receivedAt: now() })),
  );
