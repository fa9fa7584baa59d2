import { TeamsDeliveryError } from '../../src/errors.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsSends, type TeamsBudget } from '../../src/bridge/teams-sends.js';
import { silentLogger } from '../../src/log.js';
import { ANY_NUMBER } from '../../src/store/relay.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { OutboxRow } from '../../src/store/relay.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock } from '../store/clock.js';
import { customer, inbound, link, T0 } from '../store/relay-fixtures.js';

const CHANNEL = '19:sms@thread.tacv2';
const LEASE = 60_000;

/** A budget that asks for `delayMs` before each send, and counts nothing. */
const budgetAsking = (delayMs: () => number): TeamsBudget => ({
  delayFor: () => delayMs(),
  take: () => delayMs() || { settle: () => undefined, release: () => undefined },
  penalize: () => undefined,
});

describe('Teams sends', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  /** A store with every number linked, holding one queued text per customer, and sends over it. */
  const setUp = async (customers: number, delayMs: () => number) => {
    const clock = fakeClock(T0.toISOString());
    const opened = await openSqliteStore({ path: ':memory:', logger: silentLogger, now: clock.now });
    store = opened;
    await opened.saveLink(link(ANY_NUMBER));
    for (let i = 0; i < customers; i += 1) await opened.acceptInbound(inbound(`m-${i}`, { from: customer(i) }));
    const sends = createTeamsSends(
      { store: opened, worker: 'w1', budget: budgetAsking(delayMs), log: silentLogger, now: clock.now, sleep: async () => undefined, random: () => 0 },
      { maxInlineWaitMs: 2_000, maxBackoffMs: 300_000 },
    );
    return { clock, store: opened, sends };
  };

  it('puts rows back untried when the bridge is stopping, without counting an attempt', async () => {
    const { store, sends } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    sends.stop();
    const calls: string[] = [];
    expect(await sends.send(row!, [row!.id], CHANNEL, { post: async () => void calls.push('call') })).toBe(false);
    expect(calls).toEqual([]);
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([{ ...row, attempts: 0 }]);
  });

  it('turns a row away from a channel already sending one and holding one, without counting an attempt', async () => {
    const { clock, store, sends } = await setUp(3, () => 0);
    const [first, second, third] = await store.claimOutbox('w1', 3, LEASE);
    let finishFirst!: () => void;
    const firstAnswered = new Promise<void>((resolve) => (finishFirst = resolve));
    const calls: number[] = [];
    const call = (row: OutboxRow) => ({
      post: async () => {
        calls.push(row.id);
        if (row === first) await firstAnswered;
      },
    });
    const sending = sends.send(first!, [first!.id], CHANNEL, call(first!));
    const waiting = sends.send(second!, [second!.id], CHANNEL, call(second!));
    expect(await sends.send(third!, [third!.id], CHANNEL, call(third!))).toBe(false);
    finishFirst();
    expect(await Promise.all([sending, waiting])).toEqual([true, true]);
    expect(calls).toEqual([first!.id, second!.id]);
    // Back a quarter second later (the least a busy channel turns a row away for), untried.
    clock.advance(250);
    expect(await store.claimOutbox('w1', 3, LEASE)).toEqual([{ ...third, attempts: 0 }]);
  });

  it('puts rows back for the rate limit without counting an attempt, so that a later failure backs off as a first one', async () => {
    let delayMs = 60_000;
    const { clock, store, sends } = await setUp(1, () => delayMs);
    const calls: string[] = [];
    const failingCall = {
      post: async () => {
        calls.push('call');
        // The gateway's word for a connection cut before Teams answered: no status.
        throw new TeamsDeliveryError({ message: 'socket hang up', status: undefined, permanent: false });
      },
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
    // No answer from Teams: the post may be there, so the next one is marked as a possible repeat.
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([{ ...row, attempts: 1, maybePosted: true }]);
  });

  it('retries the record of a post Teams took while the store fails, and never posts it again', async () => {
    const { store, sends } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    let failures = 3;
    const complete = store.completeOutbox.bind(store);
    store.completeOutbox = async (ids) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('terminating connection due to administrator command');
      }
      return complete(ids);
    };
    const recorded: string[] = [];
    const calls: string[] = [];
    const sent = await sends.send(row!, [row!.id], CHANNEL, {
      post: async () => {
        calls.push('call');
        return 'thread-1';
      },
      record: async (thread) => void recorded.push(thread),
    });
    expect(sent).toBe(true);
    expect(calls).toEqual(['call']);
    expect(recorded).toEqual(['thread-1']);
    expect(failures).toBe(0);
    expect(await store.outboxStats()).toMatchObject({ pending: 0 });
  });

  it('posts nothing when the store cannot mark the attempt first, and puts the row back untried', async () => {
    const { clock, store, sends } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    const start = store.startOutboxAttempt.bind(store);
    store.startOutboxAttempt = async () => {
      throw new Error('connection refused');
    };
    const calls: string[] = [];
    expect(await sends.send(row!, [row!.id], CHANNEL, { post: async () => void calls.push('call') })).toBe(false);
    expect(calls).toEqual([]);
    store.startOutboxAttempt = start;
    clock.advance(2_000);
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([{ ...row, attempts: 0 }]);
  });

  it('posts nothing when the budget cannot be read (its store failed), and puts the row back untried', async () => {
    const { clock, store } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    const sendsWithoutBudget = createTeamsSends(
      {
        store,
        worker: 'w1',
        budget: { ...budgetAsking(() => 0), take: async () => Promise.reject(new Error('connection refused')) },
        log: silentLogger,
        now: clock.now,
        sleep: async () => undefined,
        random: () => 0,
      },
      { maxInlineWaitMs: 2_000, maxBackoffMs: 300_000 },
    );
    const calls: string[] = [];
    expect(await sendsWithoutBudget.send(row!, [row!.id], CHANNEL, { post: async () => void calls.push('call') })).toBe(false);
    expect(calls).toEqual([]);
    clock.advance(2_000);
    expect(await store.claimOutbox('w1', 1, LEASE)).toEqual([{ ...row, attempts: 0 }]);
  });

  it('posts nothing for rows another worker took over meanwhile', async () => {
    const { clock, store, sends } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    clock.advance(LEASE);
    const [takenOver] = await store.claimOutbox('w2', 1, LEASE);
    expect(takenOver?.id).toBe(row!.id);
    const calls: string[] = [];
    expect(await sends.send(row!, [row!.id], CHANNEL, { post: async () => void calls.push('call') })).toBe(false);
    expect(calls).toEqual([]);
  });

  it('takes a gateway 5xx as an unknown outcome (the post may have landed) and a 4xx or our own failure as nothing posted', async () => {
    const { clock, store, sends } = await setUp(3, () => 0);
    const [a, b, c] = await store.claimOutbox('w1', 3, LEASE);
    const failing = (error: unknown) => ({
      post: async () => {
        throw error;
      },
    });
    await sends.send(a!, [a!.id], CHANNEL, failing(new TeamsDeliveryError({ message: 'Bad gateway', status: 502, permanent: false })));
    await sends.send(b!, [b!.id], CHANNEL, failing(new TeamsDeliveryError({ message: 'Precondition failed', status: 412, permanent: false })));
    await sends.send(c!, [c!.id], CHANNEL, failing(new Error('the store failed before the call')));
    clock.advance(600_000);
    const again = await store.claimOutbox('w1', 3, LEASE);
    expect(again.map((r) => [r.id, r.maybePosted])).toEqual([
      [a!.id, true],
      [b!.id, false],
      [c!.id, false],
    ]);
  });

  it('lets go of a card update Teams refuses for good, instead of parking it in front of the thread', async () => {
    const { store, sends } = await setUp(1, () => 0);
    const [row] = await store.claimOutbox('w1', 1, LEASE);
    const gone = new TeamsDeliveryError({ message: 'Not found', status: 404, permanent: true });
    expect(
      await sends.send(row!, [row!.id], CHANNEL, {
        update: true,
        post: async () => {
          throw gone;
        },
      }),
    ).toBe(false);
    expect(await store.outboxStats()).toMatchObject({ pending: 0, parked: 0 });
  });
});
