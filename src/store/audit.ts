/** One action that spent money or changed data, as the audit log keeps it. */
export interface AuditEntryInput {
  readonly at: Date;
  readonly tenantId: string;
  /** The Entra object id when Teams sent one, else the Teams user id. */
  readonly userId: string;
  readonly userName: string;
  readonly conversationId: string;
  /** A stable action name: `sms.send`, `list.delete`, `link`, ... */
  readonly action: string;
  readonly recipients: number;
  /** ClickSend's message ids (or list/contact ids for data changes). */
  readonly messageIds: readonly string[];
  /** The price ClickSend charged, as a decimal string; absent for actions that cost nothing. */
  readonly price?: string | undefined;
  readonly currency?: string | undefined;
  /** A short description with ids only (never message text or secrets). */
  readonly detail: string;
}

export interface AuditEntry extends AuditEntryInput {
  readonly id: number;
}

/** The append-only audit log: entries are added and read, never changed or deleted. */
export interface AuditStore {
  appendAudit(entry: AuditEntryInput): Promise<void>;
  /**
   * Entries at or after `since` with an id above `afterId` (0: from the first), oldest first, at
   * most `limit` (10,000 by default): a page; the next starts after the last id of this one.
   */
  listAudit(since: Date, limit?: number, afterId?: number): Promise<AuditEntry[]>;
}

export const DEFAULT_AUDIT_LIMIT = 10_000;

/** A row as both engines return it; SQLite keeps `at` as epoch milliseconds. */
export interface AuditRow<T = Date> {
  id: number;
  at: T;
  tenant_id: string;
  user_id: string;
  user_name: string;
  conversation_id: string;
  action: string;
  recipients: number;
  message_ids: string;
  price: string | null;
  currency: string | null;
  detail: string;
}

export const auditEntryOf = (row: AuditRow): AuditEntry => ({
  id: Number(row.id),
  at: row.at,
  tenantId: row.tenant_id,
  userId: row.user_id,
  userName: row.user_name,
  conversationId: row.conversation_id,
  action: row.action,
  recipients: Number(row.recipients),
  messageIds: JSON.parse(row.message_ids) as string[],
  price: row.price ?? undefined,
  currency: row.currency ?? undefined,
  detail: row.detail,
});

/** The column values of an entry, in the order of the INSERT statements of both engines. */
export const auditValues = (e: AuditEntryInput) =>
  [e.tenantId, e.userId, e.userName, e.conversationId, e.action, e.recipients, JSON.stringify(e.messageIds), e.price ?? null, e.currency ?? null, e.detail] as const;

export const AUDIT_COLUMNS = 'at, tenant_id, user_id, user_name, conversation_id, action, recipients, message_ids, price, currency, detail';
