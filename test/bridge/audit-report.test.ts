import { describe, expect, it } from 'vitest';
import { auditCsv, totalsOf } from '../../src/bridge/audit-report.js';
import type { AuditEntry } from '../../src/store/audit.js';
import { storedAuditEntry } from '../helpers/audit.js';

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry =>
  storedAuditEntry({ at: new Date('2026-11-28T09:00:00Z'), tenantId: 't', userId: 'u', userName: 'Ada', conversationId: 'c', recipients: 1, messageIds: ['m1'], price: '0.0770', detail: '', ...overrides });

describe('auditCsv', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const [, row] = auditCsv([entry({ userName: 'Lovelace, "Ada"\nCountess' })]).split('\r\n');
    expect(row).toBe('1,2026-11-28T09:00:00.000Z,t,u,"Lovelace, ""Ada""\nCountess",c,sms.send,1,m1,0.0770,AUD,');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    const csv = auditCsv([entry({ userName: '=HYPERLINK("http://evil")', detail: '@SUM(A1)' })]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain(`,'@SUM(A1)`);
    expect(csv).not.toMatch(/,=|,@/);
  });

  it('joins several message ids with spaces and leaves a missing price empty', () => {
    const [, row] = auditCsv([entry({ messageIds: ['a', 'b'], price: undefined, currency: undefined })]).split('\r\n');
    expect(row).toBe('1,2026-11-28T09:00:00.000Z,t,u,Ada,c,sms.send,1,a b,,,');
  });
});

describe('totalsOf', () => {
  it('sums prices per currency exactly and counts entries and recipients per action', () => {
    const entries = [
      ...Array.from({ length: 10 }, (_, i) => entry({ id: i, price: '0.1000', recipients: 2 })),
      entry({ action: 'link', price: undefined, recipients: 0 }),
      entry({ price: '1.5000', currency: 'USD' }),
    ];
    expect(totalsOf(entries)).toEqual({
      spent: [
        { currency: 'AUD', amount: '1.0000' },
        { currency: 'USD', amount: '1.5000' },
      ],
      actions: [
        { action: 'sms.send', count: 11, recipients: 21 },
        { action: 'link', count: 1, recipients: 0 },
      ],
    });
  });
});
