import { describe, expect, it } from 'vitest';
import { createClickSendReachability } from '../../src/http/clicksend-reachability.js';
import { createReadinessCheck } from '../../src/http/readiness.js';
import type { StoreCheck } from '../../src/store/write-probe.js';
import { captureLogger } from '../store/capture-logger.js';

const NOW = new Date('2025-03-01T10:00:00Z');

const setup = () => {
  const state = {
    store: { ok: true } as StoreCheck,
    oldestQueuedAt: undefined as Date | undefined,
  };
  const reachability = createClickSendReachability({ now: () => NOW });
  const { logger, lines } = captureLogger();
  const check = createReadinessCheck({
    store: async () => state.store,
    outbox: { outboxStats: async () => ({ pending: 1, waiting: 0, parked: 0, oldestQueuedAt: state.oldestQueuedAt }) },
    maxOutboxAgeMs: 20_000,
    clicksend: { reachability, check: async () => undefined },
    logger,
    now: () => NOW,
  });
  return { state, reachability, check, lines };
};

describe('createReadinessCheck', () => {
  it('fails on the store or on Teams, each with its reason, and never on ClickSend', async () => {
    const { state, reachability, check } = setup();
    reachability.record('sms.send', 'ECONNREFUSED');
    expect(await check()).toMatchObject({ ok: true, checks: { store: { ok: true }, teams: { ok: true }, clicksend: { ok: true, reachable: false } } });

    state.oldestQueuedAt = new Date(NOW.getTime() - 20_000);
    expect(await check()).toMatchObject({ ok: true, checks: { teams: { ok: true, oldestQueuedSeconds: 20 } } });
    state.oldestQueuedAt = new Date(NOW.getTime() - 21_000);
    expect(await check()).toMatchObject({ ok: false, checks: { teams: { ok: false, oldestQueuedSeconds: 21, reason: expect.stringContaining('(20 s)') } } });

    state.oldestQueuedAt = undefined;
    state.store = { ok: false, reason: 'the database cannot be written (SQLITE_READONLY)' };
    expect(await check()).toEqual({
      ok: false,
      checks: {
        store: { ok: false, reason: 'the database cannot be written (SQLITE_READONLY)' },
        teams: { ok: true, oldestQueuedSeconds: 0 },
        clicksend: expect.objectContaining({ ok: true, reachable: false }),
      },
    });
  });

  it('logs when the answer changes, not at every poll', async () => {
    const { state, check, lines } = setup();
    await check();
    state.store = { ok: false, reason: 'the store did not answer' };
    for (let i = 0; i < 5; i++) await check();
    state.store = { ok: true };
    for (let i = 0; i < 5; i++) await check();
    expect(lines.filter((line) => line.module === 'readiness').map((line) => [line.msg, line.failing])).toEqual([
      ['not ready', { store: 'the store did not answer' }],
      ['ready again', undefined],
    ]);
  });
});
