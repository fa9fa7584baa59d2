import { describe, expect, it, type TestContext } from 'vitest';
import { REPEAT_NOTE } from '../../src/bridge/relay-cards.js';
import { cardText } from '../helpers/bridge.js';
import { startWorker, type WorkerOptions } from '../helpers/delivery-worker.js';
import { customerNumber, expectEachOnceInOrder, OUR_NUMBER, postedSms, smsBody, smsId, until } from '../helpers/relay-traffic.js';

/**
 * The delivery worker under the faults that used to post cards twice: a store that fails right
 * after Teams took a post, a Teams that answers after the lease, and a Teams whose answer is
 * lost (the one duplicate nobody can rule out, which the card then owns up to).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A worker linked to the fixtures' channel, and a way to queue `texts` texts of `customers` customers. */
const startLinkedWorker = async (context: TestContext, options: WorkerOptions = {}) => {
  const worker = await startWorker(context, { idleMs: 20, ...options });
  await worker.link();
  const queue = async (customers: number, texts: number) => {
    for (let n = 1; n <= texts; n += 1) {
      for (let c = 1; c <= customers; c += 1) {
        await worker.store.acceptInbound({ messageId: smsId(c, n), from: customerNumber(c), to: OUR_NUMBER, body: smsBody(c, n), sentAt: new Date() });
      }
    }
  };
  return { ...worker, queue };
};

describe('delivery under faults', () => {
  it('records a post again while the store fails right after Teams took it, and never posts it twice', { timeout: 20_000 }, async (context) => {
    let failing = 0;
    const { connector, store, delivery, queue } = await startLinkedWorker(context, {
      leaseMs: 300,
      wrapStore: (inner) => ({
        ...inner,
        // A database blip just after each of the first posts: the write is refused, the post stands.
        completeOutbox: async (ids) => {
          if (failing < 3) {
            failing += 1;
            throw new Error('terminating connection due to administrator command');
          }
          return inner.completeOutbox(ids);
        },
      }),
    });
    await queue(3, 3);
    delivery.start();
    await until(async () => (await store.outboxStats()).pending === 0, 'an empty outbox', 10_000);
    // Longer than several leases: a row left to its lease would have been posted again by now.
    await sleep(1_000);
    expect(failing).toBe(3);
    expectEachOnceInOrder(connector, 3, 3);
    expect(connector.attempts.filter((a) => a.method === 'POST')).toHaveLength(connector.calls.length);
  });

  it('waits for a Teams that answers long after the lease, renewing it, and posts each text once', { timeout: 20_000 }, async (context) => {
    const { connector, store, delivery, queue } = await startLinkedWorker(context, { leaseMs: 300 });
    connector.hold();
    await queue(2, 2);
    delivery.start();
    // A channel takes one post at a time: the first is held.
    await until(() => connector.held >= 1, 'the first post held by Teams');
    // Teams takes ten leases' time to answer.
    await sleep(3_000);
    expect(connector.held).toBe(1);
    connector.release();
    await until(async () => (await store.outboxStats()).pending === 0, 'an empty outbox', 10_000);
    await sleep(500);
    expectEachOnceInOrder(connector, 2, 2);
    expect(connector.attempts).toHaveLength(connector.calls.length);
  });

  it('marks the card it posts again after Teams’ answer was lost as a possible repeat', { timeout: 20_000 }, async (context) => {
    const { connector, store, delivery, queue } = await startLinkedWorker(context, { teamsTimeoutMs: 300, maxBackoffMs: 500 });
    await queue(1, 1);
    delivery.start();
    await until(async () => (await store.outboxStats()).pending === 0, 'the first text in its new thread');
    connector.hold();
    await store.acceptInbound({ messageId: smsId(1, 2), from: customerNumber(1), to: OUR_NUMBER, body: smsBody(1, 2), sentAt: new Date() });
    delivery.wake();
    await until(() => connector.held >= 1, 'the post held by Teams');
    // The bridge gives up waiting; Teams then shows the post all the same.
    await sleep(500);
    connector.release();
    await until(async () => (await store.outboxStats()).pending === 0, 'an empty outbox', 10_000);
    const cards = connector.cards().filter((c) => cardText(c.card).includes(smsBody(1, 2)));
    expect(cards).toHaveLength(2);
    expect(cardText(cards[0]!.card)).not.toContain(REPEAT_NOTE);
    expect(cardText(cards[1]!.card)).toContain(REPEAT_NOTE);
    // Into the thread the first one made, not a second thread.
    expect(new Set(postedSms(connector).map((p) => p.conversationId)).size).toBe(1);
  });
});
