import { clickSendIdOf } from './send.js';
import type { CardData } from '../cards/types.js';
import { formatMoney } from '../domain/money.js';
import type { OutboundStatus } from '../store/relay.js';
import type { SendKind, SendRecord } from '../store/sends.js';

/** How a send's result card names its kind, and what it did. */
const WORDS: Record<SendKind, { one: string; plural: string; verb: string; unit: 'parts' | 'pages' }> = {
  sms: { one: 'SMS', plural: 'SMS', verb: 'sent', unit: 'parts' },
  mms: { one: 'MMS', plural: 'MMS', verb: 'sent', unit: 'parts' },
  voice: { one: 'Voice call', plural: 'voice calls', verb: 'made', unit: 'parts' },
  fax: { one: 'Fax', plural: 'faxes', verb: 'sent', unit: 'pages' },
  letter: { one: 'Letter', plural: 'letters', verb: 'posted', unit: 'pages' },
  postcard: { one: 'Postcard', plural: 'postcards', verb: 'posted', unit: 'pages' },
};

/** How cards name a kind of send: `one` as in "Send this SMS?". */
export const kindWords = (kind: SendKind): { readonly one: string; readonly plural: string } => {
  const { one, plural } = WORDS[kind];
  return { one: kind === 'sms' || kind === 'mms' ? one : one.toLowerCase(), plural };
};

/** What a kind of send counts: SMS parts, or pages. */
export const unitOf = (kind: SendKind): 'parts' | 'pages' => WORDS[kind].unit;

const STATUS_WORDS: Record<OutboundStatus, string> = { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', failed: 'Failed' };

/** ClickSend pushes receipts for these; for the others the card says so. */
const HAS_RECEIPTS: ReadonlySet<SendKind> = new Set(['sms', 'mms', 'voice']);

/** Kinds whose failed recipients can be sent again by their number (post goes to addresses). */
const RETRYABLE: ReadonlySet<SendKind> = new Set(['sms', 'mms', 'voice', 'fax']);

/** The verb of a send card's Retry failed button, one per kind: `retry.sms`. */
export const retryVerb = (kind: SendKind): string => `retry.${kind}`;

/** The most recipient rows a card shows (a list send has thousands; a card holds about 80 KB). */
export const MAX_CARD_ROWS = 20;

/** Makes a signed link to the CSV of every recipient of a send (see send-export.ts). */
export type SendDownloadLink = (sendId: string) => string;

/** `and 980 more recipients`, and where the others are: in the download, or nowhere on the card. */
const moreLine = (count: number, what: 'recipients' | 'failed recipients', offered: boolean): string | undefined => {
  if (count <= 0) return undefined;
  const noun = count === 1 ? what.replace(/s$/, '') : what;
  const rest = offered ? ', all in the download' : `: the card ${what === 'recipients' ? 'shows' : 'lists'} the first ${MAX_CARD_ROWS}`;
  return `and ${count} more ${noun}${rest}`;
};

/**
 * The `send-result` card of a send as it stands: a row per recipient (the first ones), counts per
 * status, the failures with ClickSend's reason, and its price. Rendered when the send is made and
 * again after each batch of receipts. With `downloadLink`, a send with more recipients than the
 * card shows offers the CSV of all of them.
 */
export const sendCardData = (send: SendRecord, downloadLink?: SendDownloadLink): CardData['send-result'] => {
  const words = WORDS[send.kind];
  const { messages } = send;
  const count = (status: OutboundStatus) => messages.filter((m) => m.status === status).length;
  const failed = messages.filter((m) => m.status === 'failed');
  const accepted = messages.length - failed.length;
  const total = messages.length;
  const title =
    failed.length === 0
      ? total === 1
        ? `${words.one} ${words.verb}`
        : `${total} ${words.plural} ${words.verb}`
      : `${accepted} of ${total} ${words.plural} ${words.verb}`;
  const pending = count('queued') + count('sent');
  const summary = HAS_RECEIPTS.has(send.kind)
    ? `Delivered ${count('delivered')} · Failed ${failed.length} · Pending ${pending}`
    : `ClickSend does not report delivery of ${words.plural}: the status is what it answered when the ${words.one.toLowerCase()} was sent.`;
  const shown = messages.slice(0, MAX_CARD_ROWS);
  // More failures than the card lists means more recipients than it shows, too.
  const download = total > MAX_CARD_ROWS ? downloadLink?.(send.id) : undefined;
  const more = moreLine(total - shown.length, 'recipients', download !== undefined);
  const moreFailures = moreLine(failed.length - MAX_CARD_ROWS, 'failed recipients', download !== undefined);
  return {
    title,
    unitLabel: words.unit,
    summary,
    rows: shown.map((m) => ({
      recipient: m.recipient,
      // Recipients ClickSend refused have no message id of theirs.
      messageId: clickSendIdOf(send, m) ?? '',
      status: STATUS_WORDS[m.status],
      ok: m.status !== 'failed',
      units: m.units === undefined ? '' : String(m.units),
      price: formatMoney(m.price ?? 0, send.currency),
    })),
    ...(more ? { more } : {}),
    ...(moreFailures ? { moreFailures } : {}),
    ...(download ? { download } : {}),
    totals: { count: String(total), accepted: String(accepted), price: formatMoney(send.totalPrice, send.currency) },
    ...(failed.length > 0 && send.request && RETRYABLE.has(send.kind)
      ? { retry: { title: failed.length === 1 ? 'Retry failed' : `Retry ${failed.length} failed`, verb: retryVerb(send.kind), data: { sendId: send.id } } }
      : {}),
    failures: failed.slice(0, MAX_CARD_ROWS).map((m) => ({ recipient: m.recipient, code: 'Failed', message: m.statusText ?? 'ClickSend gave no reason.' })),
  };
};
