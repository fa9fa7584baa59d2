import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsSends, type TeamsBudget } from '../../src/bridge/teams-sends.js';
import { silentLogger } from '../../src/log.js';
import { ANY_NUMBER } from '../../src/store/relay.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock } from '../store/clock.js';
import { inbound, link, T0 } from '../store/relay-fixtures.js';

const CHANNEL = '19:sms@thread.tacv2';
const LEASE = 60_000;

/** A budget that asks for `delayMs` before each send, and counts nothing. */
const budgetAsking = (delayMs: () => number): TeamsBudget => ({
  delayFor: () => delayMs(),
  reserve: () => ({ settle: () => undefined, release: () => undefined }),
  penalize: () => undefined,
});

describe('Teams sends', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('puts rows back for the rate limit without counting an attempt, so that a later failure backs off as a first one', async () => {
    const clock = fakeClock(T0.toISOString());
    store = await openSqliteStore({ path: ':memory:', logger: silentLogger, now: clock.now });
    await store.saveLink(link(ANY_NUMBER));
    await store.acceptInbound(inbound('m-1'));
    let delayMs = 60_000;
    const sends = createTeamsSends(
      { store, budget: budgetAsking(() => delayMs), log: silentLogger, now: clock.now, sleep: async () => undefined, random: () => 0 },
      { maxInlineWaitMs: 2_000, maxBackoffMs: 300_000 },
    );
    const calls: string[] = [];
    const failingCall = async () => {
      calls.push('call');
      throw new Error('socket hang up');
    };

    // Out of budget three times: each time the row goes back, untried.
    for (let round = 0; round < 3; round += 1) {
      const [row] = await store.claimOutbox('w1', 1, LEASE);
      expect(row?.attempts).toBe(0);
      expect(await sends.send(row!, [row!.id], CHANNEL, failingCall)).toBe(false);
      clock.advance(delayMs + 1_000);
    }
    expect(calls).toEqual([]);

    // Then tried and failed once: 2^0 s of backoff (halved by the jitter of random() = 0), not 2^3.
    delayMs = 0;
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    expect(await sends.send(row!, [row!.id], CHANNEL, failingCall)).toBe(false);
    expect(calls).toEqual(['call']);
    clock.advance(499);
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([]);
    clock.advance(1);
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([{ ...row, attempts: 1 }]);
  });
});
