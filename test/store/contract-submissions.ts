import { describe, expect, it } from 'vitest';
import { DAY, fakeClock, HOUR } from './clock.js';
import type { ContractContext } from './contract.js';
import { itWhenShared } from './shared-only.js';

const resultCard = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Sent to +61 4xx' }] };

export const describeSubmissionContract = (ctx: ContractContext): void => {
  describe('card submissions', () => {
    it('grants exactly one of 50 concurrent claims of one key', async () => {
      const store = await ctx.open();
      const results = await Promise.all(Array.from({ length: 50 }, () => store.claimSubmission('activity-1:send')));
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(49);
    });

    it('answers a duplicate with the result the first claimer stored', async () => {
      const store = await ctx.open();
      expect(await store.getSubmission('k')).toBeUndefined();
      expect(await store.claimSubmission('k')).toBe('claimed');
      expect(await store.getSubmission('k')).toEqual({ state: 'pending' });
      await store.completeSubmission('k', resultCard);
      expect(await store.claimSubmission('k')).toBe('duplicate');
      expect(await store.getSubmission('k')).toEqual({ state: 'done', result: resultCard });
    });

    it('completes a submission without a result', async () => {
      const store = await ctx.open();
      await store.claimSubmission('k');
      await store.completeSubmission('k', undefined);
      expect(await store.getSubmission('k')).toEqual({ state: 'done' });
    });

    it('lets a released pending claim be claimed again, but never a completed one', async () => {
      const store = await ctx.open();
      await store.claimSubmission('failed');
      await store.releaseSubmission('failed');
      expect(await store.getSubmission('failed')).toBeUndefined();
      expect(await store.claimSubmission('failed')).toBe('claimed');

      await store.claimSubmission('done');
      await store.completeSubmission('done', resultCard);
      await store.releaseSubmission('done');
      expect(await store.claimSubmission('done')).toBe('duplicate');
    });

    it('refuses to complete a key that was never claimed with ERR_STORE_NOT_FOUND', async () => {
      const store = await ctx.open();
      await expect(store.completeSubmission('never', resultCard)).rejects.toMatchObject({
        code: 'ERR_STORE_NOT_FOUND',
        entity: 'submission',
      });
    });

    it('refuses a ttl that is not a positive whole number of milliseconds', async () => {
      const store = await ctx.open();
      await expect(store.claimSubmission('k', 0)).rejects.toThrow(/ttlMs/);
      await expect(store.claimSubmission('k', Number.NaN)).rejects.toThrow(/ttlMs/);
    });

    it('forgets a key once its ttl has passed, and prune deletes expired keys only', async () => {
      const clock = fakeClock();
      const store = await ctx.open({ now: clock.now });
      await store.claimSubmission('week');
      await store.claimSubmission('hour', HOUR);

      clock.advance(2 * HOUR);
      expect(await store.getSubmission('hour')).toBeUndefined();
      expect(await store.claimSubmission('hour')).toBe('claimed');
      expect(await store.getSubmission('week')).toEqual({ state: 'pending' });
      expect(await store.prune()).toEqual({ submissions: 0, outbox: 0 });

      clock.advance(7 * DAY - HOUR);
      expect(await store.getSubmission('week')).toBeUndefined();
      expect(await store.prune()).toEqual({ submissions: 1, outbox: 0 });
      expect(await store.getSubmission('hour')).toEqual({ state: 'pending' });
      expect(await store.prune()).toEqual({ submissions: 0, outbox: 0 });
    });

    itWhenShared(ctx)('grants one claim per key across two instances and shares the result', async () => {
      const [a, b] = [await ctx.open(), await ctx.open()];
      const keys = Array.from({ length: 10 }, (_, i) => `activity-${i}`);
      const claims = await Promise.all(
        keys.flatMap((key) => Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).claimSubmission(key).then((r) => ({ key, r })))),
      );
      for (const key of keys) {
        expect(claims.filter((c) => c.key === key && c.r === 'claimed'), key).toHaveLength(1);
      }
      await a.completeSubmission('activity-0', resultCard);
      expect(await b.getSubmission('activity-0')).toEqual({ state: 'done', result: resultCard });
    });
  });
};
