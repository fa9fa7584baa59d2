import { z } from 'zod';
import { CUSTOM_STRING_MAX } from '../domain/limits.js';
import { E164Schema } from '../domain/phone.js';
import type { DeliveryReceipt, InboundSms, OutboundStatus } from '../store/relay.js';

/**
 * Zod schemas for ClickSend's pushes, JSON or form-encoded (every form value a string).
 * Each schema first folds the aliases ClickSend sends into one canonical field name, so that
 * issues name the field the way the current docs do (`from`, not `sms`), then validates, then
 * builds the store's own `InboundSms` / `DeliveryReceipt`. Unknown fields (`user_id`,
 * `subaccount_id`, `digits`, ...) are ignored.
 */

/**
 * Our own sanity bounds (ClickSend documents none for pushes). An SMS is at most 8 parts
 * (1,224 GSM characters) and an MMS body 1,500, so 5,000 leaves room without inviting abuse.
 */
export const WEBHOOK_FIELD_LIMITS = {
  /** `body` and `original_body`, in UTF-16 code units. */
  text: 5_000,
  /** `message_id` and `original_message_id` (ClickSend's are 36-character UUIDs). */
  id: 100,
  /** `status_text` and `error_text`. */
  statusText: 1_000,
  customString: CUSTOM_STRING_MAX,
} as const;

/** 9999-12-31T23:59:59Z: anything later is not a Unix time in seconds. */
const MAX_UNIX_SECONDS = 253_402_300_799;

export type Aliases = Readonly<Record<string, readonly [string, ...string[]]>>;

/** Field -> the names ClickSend sends it under, current name first. */
export const INBOUND_SMS_ALIASES = {
  message_id: ['message_id'],
  from: ['from', 'sms'],
  to: ['to', 'originalsenderid'],
  body: ['body', 'message'],
  timestamp: ['timestamp'],
  original_message_id: ['original_message_id', 'originalmessageid'],
  original_body: ['original_body', 'originalmessage'],
  custom_string: ['custom_string', 'customstring'],
} as const satisfies Aliases;

export const DELIVERY_RECEIPT_ALIASES = {
  message_id: ['message_id'],
  status_code: ['status_code'],
  status_text: ['status_text'],
  error_text: ['error_text'],
} as const satisfies Aliases;

/** Form posts send every field, empty when unused, and JSON sends `null`: all mean absent. */
const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';

/**
 * U+0000 and lone surrogates (JSON can carry both, `\u0000` and `\ud800`) -> U+FFFD, the
 * replacement character. PostgreSQL's text and jsonb cannot hold U+0000 while SQLite's can, so
 * such a push would be stored by one engine and refused (503, pushed again forever) by the
 * other; and a lone surrogate, which UTF-8 cannot encode, became one U+FFFD in PostgreSQL but
 * three in SQLite. Replaced here, the customer's text is kept and every field that reaches a
 * store is the same on both engines. This is the one place it is done.
 */
// In `u` mode a surrogate pair is one code point, so \p{Cs} matches only a lone surrogate.
const UNSTORABLE = /[\u0000\p{Cs}]/gu;
const storable = (value: unknown): unknown => (typeof value === 'string' ? value.replace(UNSTORABLE, '\uFFFD') : value);

/**
 * The first present value among a field's aliases (the current name wins when both are sent),
 * made storable (see `storable`). Fields in `keepEmpty` stay `''` when only empty values
 * were sent: an SMS may be blank, and it is still a message to relay.
 */
export const foldAliases = (aliases: Aliases, keepEmpty: readonly string[] = []) => {
  // Plain loops over lists made once: this runs on every push.
  const fields = Object.entries(aliases).map(([field, names]) => ({ field, names, keepsEmpty: keepEmpty.includes(field) }));
  return (raw: Record<string, unknown>): Record<string, unknown> => {
    const folded: Record<string, unknown> = {};
    for (const { field, names, keepsEmpty } of fields) {
      let empty = false;
      for (const name of names) {
        const value = raw[name];
        if (!isAbsent(value)) {
          folded[field] = storable(value);
          empty = false;
          break;
        }
        if (value === '') empty = true;
      }
      if (empty && keepsEmpty) folded[field] = '';
    }
    return folded;
  };
};

const aka = (names: readonly string[]) => (names.length > 1 ? ` (sent as ${names.join(' or ')})` : '');

export const string = (names: readonly string[]) =>
  z.string({ error: (issue) => (issue.input === undefined ? `required${aka(names)}` : 'expected a string') });

export const text = (names: readonly string[], max: number) => string(names).max(max, `at most ${max} characters`);

export const id = (names: readonly string[]) =>
  string(names)
    .trim()
    .min(1, 'must not be blank')
    .max(WEBHOOK_FIELD_LIMITS.id, `at most ${WEBHOOK_FIELD_LIMITS.id} characters`)
    .regex(/^[\x21-\x7E]+$/, 'only printable ASCII characters without spaces');

/**
 * ClickSend sends E.164 (`+61411111111`). Digits alone are read as E.164 without its `+`: that
 * is what an unencoded `+` in a form body turns into (a space, trimmed away), and what some
 * integrations send. National formats (`0411 111 111`) are refused: the push says nothing
 * about the country they would belong to.
 */
const phoneNumber = (names: readonly string[]) =>
  string(names)
    .trim()
    .transform((value, ctx): string => {
      const parsed = E164Schema.safeParse(/^\d+$/.test(value) ? `+${value}` : value);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: 'expected a phone number in international format, such as +61411111111', input: value });
      return z.NEVER;
    });

/** A whole number, as a JSON number or (form posts) a string of digits. */
const integer = (names: readonly string[], max: number) =>
  z.unknown().transform((value, ctx): number => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(n) && n >= 0 && n <= max) return n;
    const message = value === undefined ? `required${aka(names)}` : `expected a whole number from 0 to ${max}`;
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  });

const unixSeconds = (names: readonly string[]) => integer(names, MAX_UNIX_SECONDS).transform((seconds) => new Date(seconds * 1000));

export const pushObject = z.record(z.string(), z.unknown(), { error: 'expected an object of ClickSend push fields' });

const a = INBOUND_SMS_ALIASES;
const InboundSmsFields = z.object({
  message_id: id(a.message_id),
  from: phoneNumber(a.from),
  to: phoneNumber(a.to),
  body: text(a.body, WEBHOOK_FIELD_LIMITS.text),
  timestamp: unixSeconds(a.timestamp).optional(),
  original_message_id: id(a.original_message_id).optional(),
  original_body: text(a.original_body, WEBHOOK_FIELD_LIMITS.text).optional(),
  custom_string: text(a.custom_string, WEBHOOK_FIELD_LIMITS.customString).optional(),
});

export interface PushSchemaOptions {
  /** The clock: a receipt's `receivedAt`, and an inbound SMS's `sentAt` when it has no `timestamp`. */
  readonly now: () => Date;
}

/**
 * The inbound-SMS push -> `InboundSms`. Compiled (`z.compile`: the interpreted parser's results
 * and issues at about half its CPU), since it runs on every push; build it once per route.
 */
export const createInboundSmsSchema = ({ now }: PushSchemaOptions): z.ZodType<InboundSms> =>
  z.compile(inboundSmsSchema(now));

const inboundSmsSchema = (now: () => Date): z.ZodType<InboundSms> =>
  pushObject
    .transform(foldAliases(INBOUND_SMS_ALIASES, ['body']))
    .pipe(InboundSmsFields)
    .transform(
      (push): InboundSms => ({
        messageId: push.message_id,
        from: push.from,
        to: push.to,
        body: push.body,
        sentAt: push.timestamp ?? now(),
        originalMessageId: push.original_message_id,
        originalBody: push.original_body,
        customString: push.custom_string,
      }),
    );

/** ClickSend's SMS receipt codes; any other is refused rather than guessed at. */
export const RECEIPT_STATUS_CODES = [200, 201, 300, 301] as const;
type ReceiptStatusCode = (typeof RECEIPT_STATUS_CODES)[number];

const r = DELIVERY_RECEIPT_ALIASES;
const DeliveryReceiptFields = z.object({
  message_id: id(r.message_id),
  status_code: integer(r.status_code, 999).pipe(
    z.literal(RECEIPT_STATUS_CODES, { error: `expected one of ${RECEIPT_STATUS_CODES.join(', ')}` }),
  ),
  status_text: text(r.status_text, WEBHOOK_FIELD_LIMITS.statusText).optional(),
  error_text: text(r.error_text, WEBHOOK_FIELD_LIMITS.statusText).optional(),
});

const statusOf = (
  code: ReceiptStatusCode,
  statusText: string | undefined,
  errorText: string | undefined,
): { status: OutboundStatus; statusText: string | undefined } => {
  switch (code) {
    case 200:
      return { status: 'sent', statusText: statusText ?? errorText };
    case 201:
      return { status: 'delivered', statusText: statusText ?? errorText };
    case 300: {
      // A temporary failure: ClickSend keeps trying, so the message is still on its way.
      const detail = errorText ?? statusText;
      return { status: 'sent', statusText: `Not delivered yet, ClickSend is retrying${detail ? `: ${detail}` : ''}` };
    }
    case 301:
      return { status: 'failed', statusText: errorText ?? statusText };
    default: {
      const _never: never = code;
      return _never;
    }
  }
};

/** The delivery-receipt push -> `DeliveryReceipt` (`receivedAt` from the clock); compiled, as above. */
export const createDeliveryReceiptSchema = ({ now }: PushSchemaOptions): z.ZodType<DeliveryReceipt> =>
  z.compile(deliveryReceiptSchema(now));

const deliveryReceiptSchema = (now: () => Date): z.ZodType<DeliveryReceipt> =>
  pushObject
    .transform(foldAliases(DELIVERY_RECEIPT_ALIASES))
    .pipe(DeliveryReceiptFields)
    .transform(
      (push): DeliveryReceipt => ({
        messageId: push.message_id,
        ...statusOf(push.status_code, push.status_text, push.error_text),
        receivedAt: now(),
      }),
    );
