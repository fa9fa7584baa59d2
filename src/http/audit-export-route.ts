import type restify from 'restify';
import { AUDIT_EXPORT_PATH, type AuditExports, type ExportRefusal } from '../bridge/audit-export.js';
import type { Logger } from '../log.js';
import { sendCsvFile } from './csv-download.js';

const REFUSALS: Record<ExportRefusal, { status: number; error: string }> = {
  malformed: { status: 400, error: 'this is not a complete audit download link: ask the bot for a new one with audit' },
  'bad-signature': { status: 403, error: 'this audit download link is not valid: ask the bot for a new one with audit' },
  expired: { status: 410, error: 'this audit download link has expired (links work for an hour): ask the bot for a new one with audit' },
};

/** `GET /exports/audit.csv?since&until&expires&sig`: the audit CSV behind a link the `audit` command made. */
export const mountAuditExportRoute = (server: restify.Server, exports: AuditExports | undefined, logger: Logger): void => {
  const log = logger.child({ module: 'audit-export' });
  server.get(AUDIT_EXPORT_PATH, async (req: restify.Request, res: restify.Response) => {
    if (!exports) {
      res.send(404, { error: 'audit downloads need PUBLIC_URL and AUDIT_LINK_SECRET to be set' });
      return;
    }
    const query = Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams);
    const opened = await exports.open(query);
    if ('refused' in opened) {
      log.info({ refused: opened.refused }, 'audit download refused');
      const { status, error } = REFUSALS[opened.refused];
      res.send(status, { error });
      return;
    }
    log.info({ since: opened.since.toISOString() }, 'audit downloaded');
    sendCsvFile(res, `audit-since-${opened.since.toISOString().slice(0, 10)}.csv`, opened.csv);
  });
};
