import { describe, expect, it } from 'vitest';
import { threadKey } from '../../src/store/relay.js';
import { fakeClock } from './clock.js';
import type { ContractContext } from './contract.js';
import { customer, CUSTOMER, drainOutbox, inbound, OUR, outbound, receipt, T0, taskId } from './relay-fixtures.js';
import { itWhenShared } from './shared-only.js';

const KEY = threadKey(OUR, CUSTOMER);

export const describeMessageContract = (ctx: ContractContext): void => {
  describe('inbound messages', () => {
    it('stores an inbound SMS once and queues one row keyed by our number and the customer', async () => {
      const store = await ctx.openLinked({ now: fakeClock(T0.toISOString()).now });
      expect(await store.acceptInbound(inbound('in-1'))).toBe('stored');
      expect(await store.acceptInbound(inbound('in-1'))).toBe('duplicate');
      expect(await store.acceptInbound(inbound('in-1', { body: 'changed' }))).toBe('duplicate');
      expect((await store.getInbound('in-1'))?.body).toBe('Is my order ready?');
      expect(await drainOutbox(store)).toEqual([
        { id: expect.any(Number), key: `${OUR}|${CUSTOMER}`, task: { kind: 'inbound', messageId: 'in-1' }, attempts: 0, createdAt: T0, maybePosted: false },
      ]);
    });

    it('returns an inbound SMS as it was stored, with and without its optional fields', async () => {
      const store = await ctx.openLinked();
      const reply = inbound('in-2', { originalMessageId: 'out-1', originalBody: 'Your order shipped', customString: 'order-77' });
      await store.acceptInbound(inbound('in-1'));
      await store.acceptInbound(reply);
      expect(await store.getInbound('in-1')).toEqual(inbound('in-1'));
      expect(await store.getInbound('in-2')).toEqual(reply);
      expect(await store.getInbound('in-unknown')).toBeUndefined();
    });

    it('answers reads made at the same moment each with its own SMS', async () => {
      const store = await ctx.openLinked();
      await Promise.all([store.acceptInbound(inbound('r-1')), store.acceptInbound(inbound('r-2', { body: 'Second' }))]);
      const [a, missing, b] = await Promise.all([store.getInbound('r-1'), store.getInbound('r-none'), store.getInbound('r-2')]);
      expect([a?.body, missing, b?.body]).toEqual(['Is my order ready?', undefined, 'Second']);
    });

    it('stores exactly one of 20 concurrent pushes of one message', async () => {
      const store = await ctx.openLinked();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.acceptInbound(inbound('in-1'))));
      expect(results.filter((r) => r === 'stored')).toHaveLength(1);
      expect(await drainOutbox(store)).toHaveLength(1);
    });

    it('queues a burst of pushes, repeats among them, once each and in the order they came per thread', async () => {
      const store = await ctx.openLinked();
      // Sent together, as a busy webhook hands them over: they may share one transaction.
      const ids = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
      const from = (i: number) => customer(i % 3);
      const pushes = ids.flatMap((id, i) => [store.acceptInbound(inbound(id, { from: from(i) })), ...(i % 10 === 0 ? [store.acceptInbound(inbound(id, { from: from(i) }))] : [])]);
      const outcomes = await Promise.all(pushes);
      expect(outcomes.filter((o) => o === 'stored')).toHaveLength(60);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(6);
      const rows = await drainOutbox(store);
      for (let c = 0; c < 3; c += 1) {
        const key = threadKey(OUR, customer(c));
        const ofKey = rows.filter((r) => r.key === key).sort((a, b) => a.id - b.id);
        expect(ofKey.map(taskId)).toEqual(ids.filter((_, i) => i % 3 === c));
      }
    });

    itWhenShared(ctx)('stores each message once when two instances receive its pushes at once', async () => {
      const [a, b] = [await ctx.openLinked(), await ctx.openLinked()];
      const ids = Array.from({ length: 5 }, (_, i) => `in-${i}`);
      const results = await Promise.all(
        ids.flatMap((id) => Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? a : b).acceptInbound(inbound(id)).then((r) => ({ id, r })))),
      );
      for (const id of ids) expect(results.filter((x) => x.id === id && x.r === 'stored'), id).toHaveLength(1);
      const rows = await drainOutbox(b);
      expect(rows.map((row) => (row.task.kind === 'inbound' ? row.task.messageId : row.task.kind)).sort()).toEqual([...ids].sort());
    });
  });

  describe('outbound messages', () => {
    it('records our SMS and queues its status card once, and remembers the card activity', async () => {
      const store = await ctx.openLinked();
      await store.recordOutbound(outbound('out-1'));
      await store.recordOutbound(outbound('out-1', { body: 'again' }));
      expect(await store.getOutbound('out-1')).toEqual(outbound('out-1'));
      expect(await store.getOutbound('out-unknown')).toBeUndefined();
      await store.setOutboundCard('out-1', 'activity-1');
      expect(await store.getOutbound('out-1')).toEqual(outbound('out-1', { cardActivityId: 'activity-1' }));
      expect((await drainOutbox(store)).map((row) => [row.key, row.task])).toEqual([[KEY, { kind: 'outbound-card', messageId: 'out-1' }]]);
    });

    it('refuses to set the card of a message it never recorded with ERR_STORE_NOT_FOUND', async () => {
      const store = await ctx.openLinked();
      await expect(store.setOutboundCard('out-unknown', 'activity-1')).rejects.toMatchObject({
        code: 'ERR_STORE_NOT_FOUND',
        entity: 'outbound',
        id: 'out-unknown',
      });
    });

    it('applies a receipt and queues the card update behind the card', async () => {
      const store = await ctx.openLinked();
      await store.recordOutbound(outbound('out-1'));
      expect(await store.applyReceipt(receipt('out-1', 'sent', 'Sent to carrier'))).toBe(true);
      expect(await store.getOutbound('out-1')).toMatchObject({ status: 'sent', statusText: 'Sent to carrier' });
      expect((await drainOutbox(store)).map((row) => [row.key, row.task])).toEqual([
        [KEY, { kind: 'outbound-card', messageId: 'out-1' }],
        [KEY, { kind: 'outbound-update', messageId: 'out-1' }],
      ]);
    });

    it('ignores a receipt for a message that is not ours and queues nothing', async () => {
      const store = await ctx.openLinked();
      expect(await store.applyReceipt(receipt('out-unknown', 'delivered'))).toBe(false);
      expect(await drainOutbox(store)).toEqual([]);
    });

    it('never moves a final status back, and queues nothing for a receipt that changes nothing', async () => {
      const store = await ctx.openLinked();
      await store.recordOutbound(outbound('out-1'));
      await drainOutbox(store);
      expect(await store.applyReceipt(receipt('out-1', 'delivered', 'Delivered'))).toBe(true);
      expect(await store.applyReceipt(receipt('out-1', 'sent'))).toBe(true);
      expect(await store.applyReceipt(receipt('out-1', 'queued'))).toBe(true);
      expect(await store.applyReceipt(receipt('out-1', 'delivered', 'Delivered'))).toBe(true);
      expect(await store.getOutbound('out-1')).toMatchObject({ status: 'delivered', statusText: 'Delivered' });
      expect(await drainOutbox(store)).toHaveLength(1);

      expect(await store.applyReceipt(receipt('out-1', 'failed', 'Handset error'))).toBe(true);
      expect(await store.getOutbound('out-1')).toMatchObject({ status: 'failed', statusText: 'Handset error' });
      expect(await drainOutbox(store)).toHaveLength(1);
    });
  });
};
