import type { Logger } from '../log.js';
import type { AuditExports } from '../bridge/audit-export.js';
import { readAllAudit } from '../bridge/audit-report.js';
import type { AuditEntry, AuditStore } from '../store/audit.js';
import type { Turn } from '../teams/types.js';

/** What an action reports about itself; who and where come from the turn. */
export interface AuditFacts {
  readonly action: string;
  readonly recipients: number;
  /** ClickSend's message ids, or the ids of the lists/contacts changed. */
  readonly messageIds: readonly string[];
  readonly price?: number | undefined;
  readonly currency?: string | undefined;
  /** Ids and kinds only: never message text. */
  readonly detail?: string;
}

export interface AuditLog {
  /**
   * Appends an entry. Never throws: by the time it is called the money is spent, and a
   * failure here must not make the user think the send failed (and send it again). A failed
   * write is logged as an error for the operator.
   */
  record(turn: Turn, facts: AuditFacts): Promise<void>;
  /** The entries since `since`, oldest first; `cut` when there were more than it reads at once. */
  since(since: Date): Promise<{ entries: AuditEntry[]; cut: boolean }>;
  /** A browser link to the CSV of every entry in the range, when the bridge can serve one. */
  downloadLink(since: Date, until: Date): string | undefined;
}

export interface AuditLogDeps {
  readonly store: AuditStore;
  /** Makes signed download links (needs PUBLIC_URL and AUDIT_LINK_SECRET); no links without it. */
  readonly exports?: Pick<AuditExports, 'link'> | undefined;
  readonly logger: Logger;
  readonly now?: () => Date;
}

export const createAuditLog = (deps: AuditLogDeps): AuditLog => {
  const log = deps.logger.child({ module: 'audit' });
  const now = deps.now ?? (() => new Date());
  return {
    since: (since) => readAllAudit(deps.store, since),
    downloadLink: (since, until) => deps.exports?.link(since, until),
    async record(turn, facts) {
      const entry = {
        at: now(),
        tenantId: turn.conversation.tenantId ?? '',
        userId: turn.user.aadObjectId ?? turn.user.id,
        userName: turn.user.name ?? '',
        conversationId: turn.conversation.id,
        action: facts.action,
        recipients: facts.recipients,
        messageIds: facts.messageIds,
        // Prices are shown with 4 decimals by ClickSend; a string keeps them exact.
        price: facts.price === undefined ? undefined : facts.price.toFixed(4),
        currency: facts.currency,
        detail: facts.detail ?? '',
      };
      await deps.store.appendAudit(entry).catch((error: unknown) => {
        log.error({ err: error, action: facts.action, messageIds: facts.messageIds, activityId: turn.activityId }, 'audit entry could not be written');
      });
    },
  };
};
