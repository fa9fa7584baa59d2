import { describe, expect, it } from 'vitest';
import { ANY_NUMBER } from '../../src/store/relay.js';
import type { ContractContext } from './contract.js';
import { link, OTHER_OURS, OUR } from './relay-fixtures.js';

export const describeLinkContract = (ctx: ContractContext): void => {
  describe('links', () => {
    it('finds a saved link by its number, and a link saved again replaces it', async () => {
      const store = await ctx.open();
      const first = link(OUR);
      await store.saveLink(first);
      expect(await store.findLink(OUR)).toEqual(first);

      const moved = link(OUR, { teamId: 'team-2', channelId: '19:other@thread.tacv2', createdBy: '29:user-2' });
      await store.saveLink(moved);
      expect(await store.findLink(OUR)).toEqual(moved);
      expect(await store.listLinks('team-1')).toEqual([]);
    });

    it('falls back to the * link for a number without its own, and finds nothing without either', async () => {
      const store = await ctx.open();
      expect(await store.findLink(OUR)).toBeUndefined();
      const any = link(ANY_NUMBER, { channelId: '19:all@thread.tacv2' });
      await store.saveLink(any);
      expect(await store.findLink(OUR)).toEqual(any);
      const own = link(OUR);
      await store.saveLink(own);
      expect(await store.findLink(OUR)).toEqual(own);
      expect(await store.findLink(OTHER_OURS)).toEqual(any);
    });

    it('answers lookups made at the same moment each with its own link', async () => {
      const store = await ctx.open();
      const own = link(OUR);
      await store.saveLink(own);
      expect(await Promise.all([store.findLink(OUR), store.findLink(OTHER_OURS), store.findLink(OUR)])).toEqual([own, undefined, own]);
      const any = link(ANY_NUMBER, { channelId: '19:all@thread.tacv2' });
      await store.saveLink(any);
      expect(await Promise.all([store.findLink(OTHER_OURS), store.findLink(OUR), store.findLink(ANY_NUMBER)])).toEqual([any, own, any]);
    });

    it('removes a link only for the team it belongs to', async () => {
      const store = await ctx.open();
      await store.saveLink(link(OUR, { teamId: 'team-1' }));
      expect(await store.removeLink(OUR, 'team-2')).toBe(false);
      expect(await store.findLink(OUR)).toBeDefined();
      expect(await store.removeLink(OUR, 'team-1')).toBe(true);
      expect(await store.findLink(OUR)).toBeUndefined();
      expect(await store.removeLink(OUR, 'team-1')).toBe(false);
    });

    it('lists the links of one team ordered by number', async () => {
      const store = await ctx.open();
      await store.saveLink(link(OTHER_OURS));
      await store.saveLink(link(OUR));
      await store.saveLink(link(ANY_NUMBER));
      await store.saveLink(link('+14055555555', { teamId: 'team-2' }));
      expect((await store.listLinks('team-1')).map((l) => l.number)).toEqual([ANY_NUMBER, OUR, OTHER_OURS]);
      expect(await store.listLinks('team-none')).toEqual([]);
    });
  });
};
