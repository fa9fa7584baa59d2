import type { CardData } from '../cards/types.js';
import type { SentMessage } from '../clicksend/messages.js';
import { formatMoney, type CurrencyInfo } from '../domain/money.js';

/** ClickSend's per-message statuses in words a Teams user can act on. */
const STATUS_TEXT: Readonly<Record<string, string>> = {
  INVALID_RECIPIENT: 'The number is not valid.',
  INSUFFICIENT_CREDIT: 'The ClickSend account has no credit left.',
  INVALID_SENDER_ID: 'The sender id is not allowed.',
  EMPTY_MESSAGE: 'The message is empty.',
  TOO_MANY_RECIPIENTS: 'Too many recipients in one request.',
  MISSING_REQUIRED_FIELDS: 'A required field is missing.',
  INVALID_SCHEDULE: 'The scheduled time is not valid.',
  NOT_ENOUGH_PERMISSION_TO_LIST_ID: 'The contact list is not available to this account.',
  INVALID_LANG: 'The language is not available.',
  INVALID_VOICE: 'The voice is not available for this language.',
  SUBJECT_REQUIRED: 'The MMS needs a subject.',
  INVALID_MEDIA_FILE: 'ClickSend cannot use this file.',
  INVALID_RETURN_ADDRESS: 'The return address does not exist.',
  ACCOUNT_NOT_ACTIVATED: 'The ClickSend account is not activated.',
  THROTTLED: 'The same message went to this recipient seconds ago.',
};

export const describeStatus = (status: string): string => STATUS_TEXT[status] ?? `ClickSend answered ${status}.`;

export type SendKind = 'SMS' | 'MMS' | 'Voice call' | 'Fax' | 'Letter' | 'Postcard';

const WORDS: Record<SendKind, { plural: string; verb: string }> = {
  SMS: { plural: 'SMS', verb: 'sent' },
  MMS: { plural: 'MMS', verb: 'sent' },
  'Voice call': { plural: 'voice calls', verb: 'made' },
  Fax: { plural: 'faxes', verb: 'sent' },
  Letter: { plural: 'letters', verb: 'posted' },
  Postcard: { plural: 'postcards', verb: 'posted' },
};

/** A row of any send result: messages carry `to`, post recipients `address_name`. */
export interface ResultRow extends Partial<SentMessage> {
  readonly status: string;
  readonly address_name?: string | undefined;
  readonly message_pages?: number | undefined;
  readonly post_pages?: number | undefined;
  readonly post_price?: number | undefined;
}

export interface ResultLike {
  readonly rows: readonly ResultRow[];
  readonly total_price: number;
  readonly _currency?: CurrencyInfo | undefined;
}

const unitsOf = (row: ResultRow): number | undefined => row.message_parts ?? row.message_pages ?? row.post_pages;

/** The `send-result` card's data: a row per recipient, totals, and the refusals explained. */
export const sendResultData = (kind: SendKind, result: ResultLike): CardData['send-result'] => {
  const accepted = result.rows.filter((row) => row.status === 'SUCCESS');
  const total = result.rows.length;
  const { plural, verb } = WORDS[kind];
  const title =
    accepted.length === total
      ? total === 1
        ? `${kind} ${verb}`
        : `${total} ${plural} ${verb}`
      : `${accepted.length} of ${total} ${plural} ${verb}`;
  const recipientOf = (row: ResultRow) => row.to ?? row.address_name ?? '';
  return {
    title,
    unitLabel: kind === 'Fax' || kind === 'Letter' || kind === 'Postcard' ? 'pages' : 'parts',
    rows: result.rows.map((row) => ({
      recipient: recipientOf(row),
      messageId: row.message_id ?? '',
      status: row.status === 'SUCCESS' ? 'Queued' : row.status,
      ok: row.status === 'SUCCESS',
      units: String(unitsOf(row) ?? ''),
      price: formatMoney(row.message_price ?? row.post_price ?? 0, result._currency),
    })),
    totals: {
      count: String(total),
      accepted: String(accepted.length),
      price: formatMoney(result.total_price, result._currency),
    },
    failures: result.rows
      .filter((row) => row.status !== 'SUCCESS')
      .map((row) => ({ recipient: recipientOf(row), code: row.status, message: describeStatus(row.status) })),
  };
};
