import { describe, expect, it } from 'vitest';
import type { ContractContext } from './contract.js';
import { CUSTOMER, CUSTOMER_2, OTHER_OURS, OUR, T0, thread } from './relay-fixtures.js';
import { itWhenShared } from './shared-only.js';

const HOUR = 60 * 60 * 1000;
const later = (ms: number) => new Date(T0.getTime() + ms);

export const describeThreadContract = (ctx: ContractContext): void => {
  describe('threads', () => {
    it('saves a thread and answers a second save of the same customer with the first thread', async () => {
      const store = await ctx.open();
      const first = thread();
      expect(await store.saveThread(first)).toEqual(first);
      const second = thread({ conversationId: '19:sms@thread.tacv2;messageid=2', rootMessageId: '2', createdAt: later(HOUR) });
      expect(await store.saveThread(second)).toEqual(first);
      expect(await store.getThread(first.channelId, OUR, CUSTOMER)).toEqual(first);
    });

    it('finds a thread by its Teams conversation id', async () => {
      const store = await ctx.open();
      const saved = await store.saveThread(thread());
      await store.saveThread(thread({ customerNumber: CUSTOMER_2, conversationId: '19:sms@thread.tacv2;messageid=2', rootMessageId: '2' }));
      expect(await store.getThreadByConversation(saved.conversationId)).toEqual(saved);
      expect(await store.getThreadByConversation('19:sms@thread.tacv2')).toBeUndefined();
    });

    it('keeps the threads of other channels, numbers and customers apart', async () => {
      const store = await ctx.open();
      await store.saveThread(thread());
      expect(await store.getThread('19:other@thread.tacv2', OUR, CUSTOMER)).toBeUndefined();
      expect(await store.getThread(thread().channelId, OTHER_OURS, CUSTOMER)).toBeUndefined();
      expect(await store.getThread(thread().channelId, OUR, CUSTOMER_2)).toBeUndefined();
      const other = thread({ customerNumber: CUSTOMER_2, rootMessageId: '9' });
      expect(await store.saveThread(other)).toEqual(other);
    });

    itWhenShared(ctx)('agrees on one thread when two instances create it at once', async () => {
      const [a, b] = [await ctx.open(), await ctx.open()];
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).saveThread(thread({ rootMessageId: `root-${i}` }))),
      );
      const winner = await a.getThread(thread().channelId, OUR, CUSTOMER);
      expect(winner).toBeDefined();
      for (const result of results) expect(result).toEqual(winner);
    });
  });

  describe('opt-outs', () => {
    it('records a customer opting out and back in', async () => {
      const store = await ctx.open();
      expect(await store.isOptedOut(CUSTOMER)).toBe(false);
      await store.setOptOut(CUSTOMER, true, T0);
      expect(await store.isOptedOut(CUSTOMER)).toBe(true);
      expect(await store.isOptedOut(CUSTOMER_2)).toBe(false);
      await store.setOptOut(CUSTOMER, false, later(HOUR));
      expect(await store.isOptedOut(CUSTOMER)).toBe(false);
    });

    it('keeps the newest change by the time the customer sent it', async () => {
      const store = await ctx.open();
      await store.setOptOut(CUSTOMER, true, later(2 * HOUR));
      await store.setOptOut(CUSTOMER, false, later(HOUR));
      expect(await store.isOptedOut(CUSTOMER)).toBe(true);
      await store.setOptOut(CUSTOMER, true, later(2 * HOUR));
      expect(await store.isOptedOut(CUSTOMER)).toBe(true);
    });
  });
};
