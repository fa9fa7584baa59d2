import { describe, expect, it } from 'vitest';
import { readAllAudit } from '../../src/bridge/audit-report.js';
import { auditEntry } from '../helpers/audit.js';
import { fakeClock, HOUR } from './clock.js';
import type { ContractContext } from './contract.js';


export const describeAuditContract = (ctx: ContractContext): void => {
  describe('audit log', () => {
    it('keeps every field of an entry and answers entries since a time, oldest first', async () => {
      const store = await ctx.open();
      await store.appendAudit(auditEntry({ at: new Date('2026-03-01T09:00:00Z'), action: 'link' }));
      await store.appendAudit(auditEntry());
      await store.appendAudit(auditEntry({ at: new Date('2026-03-01T11:00:00Z'), action: 'list.delete', recipients: 0, messageIds: [], price: undefined, currency: undefined }));
      const since = await store.listAudit(new Date('2026-03-01T10:00:00Z'));
      expect(since.map((e) => e.action)).toEqual(['sms.send', 'list.delete']);
      expect(since[0]).toEqual({ ...auditEntry(), id: expect.any(Number) });
      expect(since[1]).toMatchObject({ messageIds: [], recipients: 0 });
      expect(since[1]!.price).toBeUndefined();
      expect(since[1]!.id).toBeGreaterThan(since[0]!.id);
    });

    it('answers at most the limit asked for', async () => {
      const store = await ctx.open();
      for (let i = 0; i < 5; i += 1) await store.appendAudit(auditEntry({ messageIds: [`m-${i}`] }));
      const entries = await store.listAudit(new Date(0), 3);
      expect(entries.map((e) => e.messageIds[0])).toEqual(['m-0', 'm-1', 'm-2']);
    });

    it('pages through entries after a given id, and readAllAudit gathers every page', async () => {
      const store = await ctx.open();
      for (let i = 0; i < 5; i += 1) await store.appendAudit(auditEntry({ messageIds: [`m-${i}`] }));
      const first = await store.listAudit(new Date(0), 2);
      const second = await store.listAudit(new Date(0), 2, first.at(-1)!.id);
      expect([...first, ...second].map((e) => e.messageIds[0])).toEqual(['m-0', 'm-1', 'm-2', 'm-3']);
      const all = await readAllAudit(store, new Date(0), { pageSize: 2 });
      expect(all.entries.map((e) => e.messageIds[0])).toEqual(['m-0', 'm-1', 'm-2', 'm-3', 'm-4']);
      expect(all.cut).toBe(false);
      expect(await readAllAudit(store, new Date(0), { pageSize: 2, max: 3 })).toMatchObject({ cut: true, entries: { length: 3 } });
    });

    it('keeps audit entries when expired rows are pruned', async () => {
      const clock = fakeClock();
      const store = await ctx.open({ now: clock.now });
      await store.appendAudit(auditEntry({ at: clock.now() }));
      clock.advance(24 * 400 * HOUR);
      await store.prune();
      expect(await store.listAudit(new Date(0))).toHaveLength(1);
    });
  });
};
