import { describe, expect, it } from 'vitest';
import type { SendRecord } from '../../src/store/sends.js';
import { fakeClock } from './clock.js';
import type { ContractContext } from './contract.js';
import { T0 } from './relay-fixtures.js';

const AUD = { currency_name_short: 'AUD', currency_prefix_d: '$' };

const aSend = (id: string, messages: number, overrides: Partial<SendRecord> = {}): SendRecord => ({
  id,
  kind: 'sms',
  place: { conversationId: 'a:personal-chat', serviceUrl: 'https://smba.example/', tenantId: 'tenant-1', botId: '28:bot' },
  sentBy: 'Ada Lovelace',
  totalPrice: 0.0792 * messages,
  currency: AUD,
  createdAt: T0,
  messages: Array.from({ length: messages }, (_, i) => ({
    messageId: `${id}-m${i + 1}`,
    recipient: `+6141111111${i}`,
    sender: '+61480000000',
    status: 'queued' as const,
    units: 1,
    price: 0.0792,
  })),
  ...overrides,
});

const receipt = (messageId: string, status: 'sent' | 'delivered' | 'failed' | 'queued', statusText?: string) => ({
  messageId,
  status,
  ...(statusText ? { statusText } : {}),
  receivedAt: T0,
});

export const describeSendContract = (ctx: ContractContext): void => {
  describe('sends', () => {
    it('keeps a send with its messages in order, once, and where its card is', async () => {
      const store = await ctx.open();
      const send = aSend('s1', 3, { retryOf: 's0', request: { to: '+61411111111', body: 'Sale starts now' } });
      await store.recordSend(send);
      await store.recordSend({ ...send, sentBy: 'someone else', messages: [] });
      expect(await store.getSend('s1')).toEqual(send);
      expect(await store.getSend('nope')).toBeUndefined();
      await store.setSendCard('s1', 'activity-1');
      // The first card stays the card.
      await store.setSendCard('s1', 'activity-2');
      expect(await store.getSend('s1')).toMatchObject({ cardActivityId: 'activity-1' });
    });

    it('moves a message by its receipts, never back from a final status, and says which messages are not of a send', async () => {
      const store = await ctx.open();
      await store.recordSend(aSend('s1', 2));
      expect(await store.applySendReceipt(receipt('s1-m1', 'sent'))).toBe(true);
      expect(await store.applySendReceipt(receipt('s1-m1', 'delivered'))).toBe(true);
      expect(await store.applySendReceipt(receipt('s1-m1', 'sent'))).toBe(true);
      expect(await store.applySendReceipt(receipt('s1-m2', 'failed', 'Number disconnected'))).toBe(true);
      expect(await store.applySendReceipt(receipt('someone-elses', 'delivered'))).toBe(false);
      const send = await store.getSend('s1');
      expect(send?.messages.map((m) => [m.status, m.statusText])).toEqual([
        ['delivered', undefined],
        ['failed', 'Number disconnected'],
      ]);
    });

    it('queues one update of the card for a burst of receipts, a little later, once the card is posted', async () => {
      const clock = fakeClock(T0.toISOString());
      const store = await ctx.open({ now: clock.now });
      await store.recordSend(aSend('s1', 50));
      await store.setSendCard('s1', 'activity-1');
      for (let i = 1; i <= 50; i += 1) await store.applySendReceipt(receipt(`s1-m${i}`, i % 5 === 0 ? 'failed' : 'delivered'));
      // Not due at once: receipts of the next moments are shown by the same update.
      expect(await store.claimOutbox('w1', 10, 60_000)).toEqual([]);
      clock.advance(2_000);
      const rows = await store.claimOutbox('w1', 10, 60_000);
      expect(rows.map((r) => r.task)).toEqual([{ kind: 'send-update', sendId: 's1' }]);
      // While that one is being posted, a new receipt queues the next.
      await store.applySendReceipt(receipt('s1-m1', 'delivered', 'late text'));
      await store.completeOutbox(rows.map((r) => r.id));
      clock.advance(2_000);
      expect((await store.claimOutbox('w1', 10, 60_000)).map((r) => r.task)).toEqual([{ kind: 'send-update', sendId: 's1' }]);
    });

    it('queues the update when the card is posted after its receipts came and their update went', async () => {
      const clock = fakeClock(T0.toISOString());
      const store = await ctx.open({ now: clock.now });
      await store.recordSend(aSend('s1', 1));
      await store.recordSend(aSend('s2', 1));
      await store.applySendReceipt(receipt('s1-m1', 'delivered'));
      clock.advance(2_000);
      // The worker found no card to update yet, and let the update go.
      const early = await store.claimOutbox('w1', 10, 60_000);
      expect(early.map((r) => r.task)).toEqual([{ kind: 'send-update', sendId: 's1' }]);
      await store.completeOutbox(early.map((r) => r.id));
      await store.setSendCard('s2', 'activity-2');
      await store.setSendCard('s1', 'activity-1');
      // s1's receipt came before its card: an update is due (once the card itself is surely
      // shown); s2 had no receipt.
      expect(await store.claimOutbox('w1', 10, 60_000)).toEqual([]);
      clock.advance(2_000);
      const rows = await store.claimOutbox('w1', 10, 60_000);
      expect(rows.map((r) => r.task)).toEqual([{ kind: 'send-update', sendId: 's1' }]);
    });
  });
};
