import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/store/store.js';
import { fakeClock, HOUR } from './clock.js';
import type { ContractContext } from './contract.js';
import { itWhenShared } from './shared-only.js';

const reference = (conversationId: string) => ({
  activityId: 'f:123',
  bot: { id: '28:bot-app-id', name: 'ClickSend' },
  channelId: 'msteams',
  conversation: { id: conversationId, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  locale: 'en-US',
  tags: ['a', 1, null, true],
});

const channel = (conversationId: string, teamId: string): ConversationRecord => ({
  conversationId,
  kind: 'channel',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  teamId,
  channelId: conversationId,
  botId: '28:bot-app-id',
  reference: reference(conversationId),
});

const personal: ConversationRecord = {
  conversationId: 'a:1personal',
  kind: 'personal',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  botId: '28:bot-app-id',
  userId: '29:user-1',
  reference: reference('a:1personal'),
};

export const describeConversationContract = (ctx: ContractContext): void => {
  describe('conversations', () => {
    it('returns a saved conversation as it was saved, reference JSON included', async () => {
      const store = await ctx.open();
      const record = channel('19:general@thread.tacv2', 'team-1');
      await store.saveConversation(record);
      await store.saveConversation(personal);
      expect(await store.getConversation(record.conversationId)).toEqual(record);
      expect(await store.getConversation(personal.conversationId)).toEqual(personal);
    });

    it('answers undefined for a conversation it never saw', async () => {
      const store = await ctx.open();
      expect(await store.getConversation('19:unknown')).toBeUndefined();
    });

    it('replaces a conversation saved again under the same id, keeping its welcome mark', async () => {
      const clock = fakeClock();
      const store = await ctx.open({ now: clock.now });
      await store.saveConversation(personal);
      expect(await store.markWelcomed(personal.conversationId)).toBe(true);
      const moved = { ...personal, serviceUrl: 'https://smba.trafficmanager.net/emea/', reference: { moved: true } };
      clock.advance(HOUR);
      await store.saveConversation(moved);
      expect(await store.getConversation(personal.conversationId)).toEqual({ ...moved, welcomedAt: new Date('2030-01-01T00:00:00.000Z') });
      expect(await store.listConversations()).toHaveLength(1);
    });

    it('lists every conversation, or those of one team, ordered by id', async () => {
      const store = await ctx.open();
      await store.saveConversation(channel('19:b@thread', 'team-1'));
      await store.saveConversation(channel('19:c@thread', 'team-2'));
      await store.saveConversation(channel('19:a@thread', 'team-1'));
      await store.saveConversation(personal);
      const ids = (records: ConversationRecord[]) => records.map((r) => r.conversationId);
      expect(ids(await store.listConversations())).toEqual(['19:a@thread', '19:b@thread', '19:c@thread', 'a:1personal']);
      expect(ids(await store.listConversations({ teamId: 'team-1' }))).toEqual(['19:a@thread', '19:b@thread']);
      expect(await store.listConversations({ teamId: 'team-none' })).toEqual([]);
    });

    it('marks a conversation welcomed for exactly one of 20 concurrent callers', async () => {
      const clock = fakeClock();
      const store = await ctx.open({ now: clock.now });
      await store.saveConversation(personal);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.markWelcomed(personal.conversationId)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.markWelcomed(personal.conversationId)).toBe(false);
      expect((await store.getConversation(personal.conversationId))?.welcomedAt).toEqual(clock.now());
    });

    it('refuses to mark a conversation it never saw with ERR_STORE_NOT_FOUND', async () => {
      const store = await ctx.open();
      await expect(store.markWelcomed('19:unknown')).rejects.toMatchObject({
        code: 'ERR_STORE_NOT_FOUND',
        entity: 'conversation',
        id: '19:unknown',
      });
    });

    itWhenShared(ctx)('welcomes a conversation once across two instances', async () => {
      const [a, b] = [await ctx.open(), await ctx.open()];
      await a.saveConversation(personal);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).markWelcomed(personal.conversationId)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await b.getConversation(personal.conversationId))?.welcomedAt).toBeInstanceOf(Date);
    });
  });
};
