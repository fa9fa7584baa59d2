import type restify from 'restify';
import { SEND_EXPORT_PATH, type SendExportRefusal, type SendExports } from '../bridge/send-export.js';
import type { Logger } from '../log.js';
import { sendCsvFile } from './csv-download.js';

const ASK_AGAIN = 'open the download from the send card again';

const REFUSALS: Record<SendExportRefusal, { status: number; error: string }> = {
  malformed: { status: 400, error: `this is not a complete download link: ${ASK_AGAIN}` },
  'bad-signature': { status: 403, error: `this download link is not valid: ${ASK_AGAIN}` },
  expired: { status: 403, error: `this download link has expired (links work for an hour after the card was last updated): ${ASK_AGAIN}` },
  'unknown-send': { status: 404, error: 'there is no send with this id: it may have been removed' },
};

/** `GET /exports/send.csv?send&expires&sig`: every recipient of a send, behind the link on its result card. */
export const mountSendExportRoute = (server: restify.Server, exports: SendExports | undefined, logger: Logger): void => {
  const log = logger.child({ module: 'send-export' });
  server.get(SEND_EXPORT_PATH, async (req: restify.Request, res: restify.Response) => {
    if (!exports) {
      res.send(404, { error: 'send downloads need PUBLIC_URL and AUDIT_LINK_SECRET to be set' });
      return;
    }
    const query = Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams);
    const opened = await exports.open(query).catch((error: unknown) => {
      log.error({ err: error }, 'send download failed');
      return undefined;
    });
    if (!opened) {
      res.send(500, { error: 'the send could not be read: try again in a moment' });
      return;
    }
    if ('refused' in opened) {
      log.info({ refused: opened.refused }, 'send download refused');
      const { status, error } = REFUSALS[opened.refused];
      res.send(status, { error });
      return;
    }
    log.info({ sendId: opened.send.id, recipients: opened.send.messages.length }, 'send downloaded');
    sendCsvFile(res, `send-${opened.send.createdAt.toISOString().slice(0, 10)}-${opened.send.id.slice(0, 8)}.csv`, opened.csv);
  });
};
