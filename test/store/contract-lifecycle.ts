import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.js';
import { appliedVersions, captureLogger } from './capture-logger.js';
import type { ContractContext } from './contract.js';
import { itWhenShared } from './shared-only.js';

const ALL_VERSIONS = migrations.map((m) => m.version);

export const describeLifecycleContract = (ctx: ContractContext): void => {
  describe('migrations', () => {
    it('applies every migration in order on first open and records each version', async () => {
      const { logger, lines } = captureLogger();
      await ctx.open({ logger });
      expect(appliedVersions(lines)).toEqual(ALL_VERSIONS);
      const recorded = await ctx.harness().recordedVersions?.();
      if (recorded) expect(recorded).toEqual(ALL_VERSIONS);
    });

    itWhenShared(ctx)('applies nothing again on reopen, and the data survives', async () => {
      const first = await ctx.open();
      await first.saveConversation({
        conversationId: 'conv-1',
        kind: 'personal',
        tenantId: 't',
        serviceUrl: 'https://smba.example/',
        botId: 'bot',
        reference: { id: 1 },
      });
      expect(await first.claimSubmission('key-1')).toBe('claimed');
      await first.close();

      const { logger, lines } = captureLogger();
      const second = await ctx.open({ logger });
      expect(appliedVersions(lines)).toEqual([]);
      expect(await ctx.harness().recordedVersions?.()).toEqual(ALL_VERSIONS);
      expect((await second.getConversation('conv-1'))?.reference).toEqual({ id: 1 });
      expect(await second.claimSubmission('key-1')).toBe('duplicate');
    });

    itWhenShared(ctx)('lets two instances open a fresh database at the same moment', async () => {
      const { logger, lines } = captureLogger();
      const [a, b] = await Promise.all([ctx.open({ logger }), ctx.open({ logger })]);
      await expect(a.ping()).resolves.toBeUndefined();
      await expect(b.ping()).resolves.toBeUndefined();
      expect([...appliedVersions(lines)].sort()).toEqual(ALL_VERSIONS);
      expect(await ctx.harness().recordedVersions?.()).toEqual(ALL_VERSIONS);
    });
  });

  describe('health', () => {
    it('answers ping while open and rejects with ERR_STORE once closed', async () => {
      const store = await ctx.open();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await expect(store.ping()).rejects.toMatchObject({ code: 'ERR_STORE', operation: 'ping' });
      await expect(store.getConversation('any')).rejects.toMatchObject({ code: 'ERR_STORE' });
    });

    it('takes the write probe again and again while open, and rejects it with ERR_STORE once closed', async () => {
      const store = await ctx.open();
      for (let i = 0; i < 3; i++) await expect(store.probeWrite()).resolves.toBeUndefined();
      await store.close();
      await expect(store.probeWrite()).rejects.toMatchObject({ code: 'ERR_STORE', operation: 'probeWrite' });
    });

    itWhenShared(ctx)('lets instances sharing a database take the write probe at the same moment', async () => {
      const [a, b] = await Promise.all([ctx.open(), ctx.open()]);
      await expect(Promise.all([a.probeWrite(), b.probeWrite(), a.probeWrite(), b.probeWrite()])).resolves.toHaveLength(4);
    });

    it('can be closed twice', async () => {
      const store = await ctx.open();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    it('logs ids and lifecycle events, never row contents', async () => {
      const { logger, lines } = captureLogger();
      const store = await ctx.open({ logger });
      await store.saveConversation({
        conversationId: 'conv-1',
        kind: 'personal',
        tenantId: 't',
        serviceUrl: 'https://private-service.example/',
        botId: 'bot',
        reference: { user: { name: 'Private Person' } },
      });
      await store.claimSubmission('key-1');
      await store.completeSubmission('key-1', { text: 'private result' });
      await store.close();
      const logged = JSON.stringify(lines);
      expect(logged).not.toMatch(/private/i);
      expect(lines.map((line) => line.module)).toSatisfy((modules: unknown[]) => modules.every((m) => m === 'store'));
    });
  });
};
