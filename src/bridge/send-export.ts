import { unitOf } from './send-cards.js';
import { clickSendIdOf } from './send.js';
import type { SendRecord, SendStore } from '../store/sends.js';
import { toCsv } from './csv.js';
import { createSignedLinks, type LinkRefusal } from './signed-links.js';

export const SEND_EXPORT_PATH = '/exports/send.csv';

export interface SendExportsDeps {
  /** The bridge's public base URL: links must be reachable from the user's browser. */
  readonly publicUrl: string;
  /** `AUDIT_LINK_SECRET`, which signs every download link (with a key of this purpose's own). */
  readonly secret: string;
  readonly store: Pick<SendStore, 'getSend'>;
  readonly now?: () => Date;
}

export type SendExportRefusal = LinkRefusal | 'unknown-send';

/** Our send ids (UUIDs); never a `:`, which would blur what a link signs. */
const SEND_ID = /^[\w-]{1,100}$/;

/** Every recipient of a send with its status and ClickSend's reason, as the send card shows the first ones. */
export const sendCsv = (send: SendRecord): string =>
  toCsv(
    ['recipient', 'message_id', 'status', 'reason', unitOf(send.kind), 'price', 'currency'],
    send.messages.map((m) => [
      { phone: m.recipient },
      clickSendIdOf(send, m),
      m.status,
      m.statusText,
      m.units,
      m.price?.toFixed(4),
      send.currency?.currency_name_short,
    ]),
  );

/**
 * Signed one-hour download links to the CSV of every recipient of a send, for the result card
 * of a send with more recipients than the card shows. The CSV is made when the link is fetched,
 * so it has the statuses the receipts brought since.
 */
export const createSendExports = (deps: SendExportsDeps) => {
  const links = createSignedLinks({ ...deps, purpose: 'send-export-link', path: SEND_EXPORT_PATH });
  return {
    link: (sendId: string): string => links.link({ send: sendId }),

    /** The CSV a link stands for, or why it is refused. */
    async open(query: Readonly<Record<string, string | undefined>>): Promise<{ csv: string; send: SendRecord } | { refused: SendExportRefusal }> {
      const verified = links.verify(query, { send: SEND_ID });
      if ('refused' in verified) return verified;
      const send = await deps.store.getSend(verified.values.send);
      return send ? { csv: sendCsv(send), send } : { refused: 'unknown-send' };
    },
  };
};
export type SendExports = ReturnType<typeof createSendExports>;
