import type { AuditStore } from '../store/audit.js';
import { auditCsv, readAllAudit } from './audit-report.js';
import { createSignedLinks, type LinkRefusal } from './signed-links.js';

export { EXPORT_LINK_TTL_MS } from './signed-links.js';

export const AUDIT_EXPORT_PATH = '/exports/audit.csv';

export interface AuditExportsDeps {
  /** The bridge's public base URL: links must be reachable from the admin's browser. */
  readonly publicUrl: string;
  /** `AUDIT_LINK_SECRET`, shared by every instance: the signing key is derived from it (see signed-links.ts). */
  readonly secret: string;
  readonly store: Pick<AuditStore, 'listAudit'>;
  readonly now?: () => Date;
}

export type ExportRefusal = LinkRefusal;

const MILLISECONDS = /^\d{1,15}$/;

/**
 * Signed, short-lived download links for the audit CSV. The link names the time range and its
 * expiry and carries an HMAC of them; the CSV is made from the audit table when it is fetched.
 */
export const createAuditExports = (deps: AuditExportsDeps) => {
  const links = createSignedLinks({ ...deps, purpose: 'audit-export-link', path: AUDIT_EXPORT_PATH });

  return {
    /** A link to every entry from `since` to `until`, working for an hour. */
    link: (since: Date, until: Date): string => links.link({ since: String(since.getTime()), until: String(until.getTime()) }),

    /** The CSV a link stands for, or why the link is refused. */
    async open(query: Readonly<Record<string, string | undefined>>): Promise<{ csv: string; since: Date } | { refused: ExportRefusal }> {
      const verified = links.verify(query, { since: MILLISECONDS, until: MILLISECONDS });
      if ('refused' in verified) return verified;
      const [since, until] = [Number(verified.values.since), Number(verified.values.until)];
      const { entries: all } = await readAllAudit(deps.store, new Date(since));
      const entries = all.filter((e) => e.at.getTime() <= until);
      return { csv: auditCsv(entries), since: new Date(since) };
    },
  };
};
export type AuditExports = ReturnType<typeof createAuditExports>;
