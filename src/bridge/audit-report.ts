import { DEFAULT_AUDIT_LIMIT, type AuditEntry, type AuditStore } from '../store/audit.js';
import { toCsv } from './csv.js';

/** The CSV's columns, in order: one per audit field. */
const COLUMNS = ['id', 'at', 'tenant_id', 'user_id', 'user_name', 'conversation_id', 'action', 'recipients', 'message_ids', 'price', 'currency', 'detail'] as const;

/** Every entry as CSV (header first, CRLF line ends), for a spreadsheet or another program. */
export const auditCsv = (entries: readonly AuditEntry[]): string =>
  toCsv(
    COLUMNS,
    entries.map((e) => [
      e.id,
      e.at.toISOString(),
      e.tenantId,
      e.userId,
      e.userName,
      e.conversationId,
      e.action,
      e.recipients,
      e.messageIds.join(' '),
      e.price,
      e.currency,
      e.detail,
    ]),
  );

export interface AuditTotals {
  /** Money spent per currency, summed exactly (in ten-thousandths), as decimal strings. */
  readonly spent: readonly { readonly currency: string; readonly amount: string }[];
  /** Per action: how many entries and how many recipients. */
  readonly actions: readonly { readonly action: string; readonly count: number; readonly recipients: number }[];
}

export const totalsOf = (entries: readonly AuditEntry[]): AuditTotals => {
  const spent = new Map<string, number>();
  const actions = new Map<string, { count: number; recipients: number }>();
  for (const e of entries) {
    if (e.price !== undefined) {
      const currency = e.currency ?? '';
      spent.set(currency, (spent.get(currency) ?? 0) + Math.round(Number(e.price) * 10_000));
    }
    const a = actions.get(e.action) ?? { count: 0, recipients: 0 };
    actions.set(e.action, { count: a.count + 1, recipients: a.recipients + e.recipients });
  }
  return {
    spent: [...spent].map(([currency, units]) => ({ currency, amount: (units / 10_000).toFixed(4) })),
    actions: [...actions].map(([action, a]) => ({ action, ...a })).sort((x, y) => y.count - x.count || x.action.localeCompare(y.action)),
  };
};

/** Every entry at or after `since`, a page at a time (at most `max`; `cut` says whether more were left). */
export const readAllAudit = async (
  store: Pick<AuditStore, 'listAudit'>,
  since: Date,
  { pageSize = DEFAULT_AUDIT_LIMIT, max = 200_000 }: { pageSize?: number; max?: number } = {},
): Promise<{ entries: AuditEntry[]; cut: boolean }> => {
  const entries: AuditEntry[] = [];
  for (;;) {
    const page = await store.listAudit(since, pageSize, entries.at(-1)?.id ?? 0);
    entries.push(...page);
    if (page.length < pageSize) return { entries, cut: false };
    if (entries.length >= max) return { entries: entries.slice(0, max), cut: true };
  }
};
