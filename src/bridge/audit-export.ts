import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { AuditStore } from '../store/audit.js';
import { auditCsv, readAllAudit } from './audit-report.js';

export const AUDIT_EXPORT_PATH = '/exports/audit.csv';
/** How long a download link works after `audit` made it. */
export const EXPORT_LINK_TTL_MS = 60 * 60 * 1000;

export interface AuditExportsDeps {
  /** The bridge's public base URL: links must be reachable from the admin's browser. */
  readonly publicUrl: string;
  /**
   * A secret every instance shares (`AUDIT_LINK_SECRET`; not the webhook token, which sits in
   * ClickSend's rule URLs): the signing key is derived from it, so a link made by one instance
   * is honoured by the others, and no link can be forged without it.
   */
  readonly secret: string;
  readonly store: Pick<AuditStore, 'listAudit'>;
  readonly now?: () => Date;
}

export type ExportRefusal = 'malformed' | 'bad-signature' | 'expired';

/**
 * Signed, short-lived download links for the audit CSV. The link names the time range and its
 * expiry and carries an HMAC of them; the CSV is made from the audit table when it is fetched.
 * Teams cannot take a large file from a bot in a message, but any browser can open a link.
 */
export const createAuditExports = (deps: AuditExportsDeps) => {
  const key = Buffer.from(hkdfSync('sha256', deps.secret, 'clicksend-teams-bridge', 'audit-export-link', 32));
  const now = deps.now ?? (() => new Date());
  const sign = (since: number, until: number, expires: number) =>
    createHmac('sha256', key).update(`${since}:${until}:${expires}`).digest('base64url');

  return {
    /** A link to every entry from `since` to `until`, working for an hour. */
    link(since: Date, until: Date): string {
      const expires = now().getTime() + EXPORT_LINK_TTL_MS;
      const params = new URLSearchParams({ since: String(since.getTime()), until: String(until.getTime()), expires: String(expires) });
      params.set('sig', sign(since.getTime(), until.getTime(), expires));
      return `${deps.publicUrl}${AUDIT_EXPORT_PATH}?${params}`;
    },

    /** The CSV a link stands for, or why the link is refused. */
    async open(query: Readonly<Record<string, string | undefined>>): Promise<{ csv: string; since: Date } | { refused: ExportRefusal }> {
      const [since, until, expires] = [query.since, query.until, query.expires].map((v) => (v && /^\d{1,15}$/.test(v) ? Number(v) : NaN));
      if (!Number.isFinite(since) || !Number.isFinite(until) || !Number.isFinite(expires) || !query.sig) return { refused: 'malformed' };
      const expected = Buffer.from(sign(since!, until!, expires!));
      const given = Buffer.from(query.sig);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'bad-signature' };
      if (now().getTime() > expires!) return { refused: 'expired' };
      const { entries: all } = await readAllAudit(deps.store, new Date(since!));
      const entries = all.filter((e) => e.at.getTime() <= until!);
      return { csv: auditCsv(entries), since: new Date(since!) };
    },
  };
};
export type AuditExports = ReturnType<typeof createAuditExports>;
