import type { AuditEntry, AuditEntryInput } from '../../src/store/audit.js';

/** An audit entry as the bot records it: an SMS to two recipients. */
export const auditEntry = (overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  at: new Date('2026-03-01T10:00:00Z'),
  tenantId: 'tenant-1',
  userId: '11111111-2222-3333-4444-555555555555',
  userName: 'Ada Admin',
  conversationId: '19:channel@thread.tacv2',
  action: 'sms.send',
  recipients: 2,
  messageIds: ['m-1', 'm-2'],
  price: '0.1540',
  currency: 'AUD',
  detail: 'to +614xxxxx111',
  ...overrides,
});

/** The same as the store answers it, with its id. */
export const storedAuditEntry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({ id: 1, ...auditEntry(overrides), ...overrides });
