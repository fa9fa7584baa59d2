import { describe, expect, it } from 'vitest';
import { ANY_NUMBER, DONE_OUTBOX_RETENTION_MS, type OutboxRow } from '../../src/store/relay.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock, HOUR } from './clock.js';
import type { ContractContext } from './contract.js';
import { describeSharedOutboxContract } from './contract-outbox-shared.js';
import { customer, drainOutbox, inbound, link, OTHER_OURS, OUR, outbound, receipt, T0, taskId } from './relay-fixtures.js';

const LEASE = 60_000;
const MINUTE = 60_000;
const ids = (rows: readonly OutboxRow[]) => rows.map(taskId);

/** Queues one inbound row per name; `a1`, `a2` share customer a's thread, `b1` is customer b's. */
const queue = async (store: Store, ...names: string[]) => {
  for (const name of names) await store.acceptInbound(inbound(name, { from: customer(name.charCodeAt(0)) }));
};

export const describeOutboxContract = (ctx: ContractContext): void => {
  const openAtT0 = async () => {
    const clock = fakeClock(T0.toISOString());
    return { clock, store: await ctx.openLinked({ now: clock.now }) };
  };

  describe('outbox', () => {
    it('hands out only the head of each thread, oldest first, up to the limit', async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'b1', 'a2', 'c1');
      const first = await store.claimOutbox('w1', 2, LEASE);
      expect(ids(first)).toEqual(['a1', 'b1']);
      expect(ids(await store.claimOutbox('w2', 10, LEASE))).toEqual(['c1']);
      expect(await store.claimOutbox('w2', 10, LEASE)).toEqual([]);
      await store.completeOutbox([first[0]!.id]);
      expect(ids(await store.claimOutbox('w2', 10, LEASE))).toEqual(['a2']);
      expect(await store.claimOutbox('w2', 10, LEASE)).toEqual([]);
    });

    it('leaves a leased thread alone until the lease ends, then hands its head out again as a new attempt', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'a2');
      const [head] = await store.claimOutbox('w1', 10, LEASE);
      expect(head?.attempts).toBe(0);
      clock.advance(LEASE - 1);
      expect(await store.claimOutbox('w2', 10, LEASE)).toEqual([]);
      clock.advance(1);
      expect(await store.claimOutbox('w2', 10, LEASE)).toEqual([{ ...head, attempts: 1 }]);
    });

    it('puts a retried row back for later, counting the attempt, still ahead of its thread', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      await store.retryOutbox([a1!.id], new Date(T0.getTime() + 10 * MINUTE), 'Teams answered 503');
      await store.completeOutbox([b1!.id]);
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([]);
      clock.advance(10 * MINUTE);
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([{ ...a1, attempts: 1 }]);
    });

    it('puts a deferred row back for later without counting an attempt, still ahead of its thread', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'a2');
      const [a1] = await store.claimOutbox('w1', 10, LEASE);
      await store.retryOutbox([a1!.id], T0, 'Teams answered 503');
      const [tried] = await store.claimOutbox('w1', 10, LEASE);
      expect(tried).toEqual({ ...a1, attempts: 1 });
      await store.deferOutbox([tried!.id], new Date(T0.getTime() + MINUTE), 'waiting for the channel');
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([]);
      clock.advance(MINUTE);
      // Still one attempt: waiting for a turn is not trying.
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([{ ...a1, attempts: 1 }]);
    });

    it('claims the due inbound rows behind a head, up to the limit, stopping at the first other task', async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'a3');
      await store.recordOutbound(outbound('out-1', { customerNumber: customer('a'.charCodeAt(0)) }));
      await queue(store, 'a4', 'b1');
      const [head, b1] = await store.claimOutbox('w1', 10, LEASE);
      expect(ids([head!, b1!])).toEqual(['a1', 'b1']);
      expect(await store.claimFollowing(head!, 'w2', 10, LEASE)).toEqual([]);
      expect(await store.claimFollowing(b1!, 'w1', 10, LEASE)).toEqual([]);
      const [a2] = await store.claimFollowing(head!, 'w1', 1, LEASE);
      expect(ids([a2!])).toEqual(['a2']);
      expect(await store.claimFollowing(head!, 'w1', 10, LEASE)).toEqual([]);

      // The thread stays held while any of its rows is leased, the head's retry notwithstanding.
      await store.retryOutbox([head!.id], T0, 'retry');
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([]);
      await store.retryOutbox([a2!.id], T0, 'retry');
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['a1']);
    });

    it('takes the whole run of inbound rows behind a head, and nothing of a thread it no longer holds', async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'a3');
      await store.recordOutbound(outbound('out-1', { customerNumber: customer('a'.charCodeAt(0)) }));
      const [head] = await store.claimOutbox('w1', 10, LEASE);
      const following = await store.claimFollowing(head!, 'w1', 10, LEASE);
      expect(ids(following)).toEqual(['a2', 'a3']);
      await store.completeOutbox([head!.id, ...following.map((row) => row.id)]);
      expect(await store.claimFollowing(head!, 'w1', 10, LEASE)).toEqual([]);
      const [card] = await store.claimOutbox('w1', 10, LEASE);
      expect(card?.task).toEqual({ kind: 'outbound-card', messageId: 'out-1' });
    });

    it('parks rows for good: they leave delivery, hold up their own thread only and are reported per channel', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'b1', 'c1', 'd1');
      const [a1, b1, c1] = await store.claimOutbox('w1', 3, LEASE);
      await store.parkOutbox([a1!.id], 'Bot removed from the team', '19:alpha@thread.tacv2');
      clock.advance(1_000);
      await store.parkOutbox([b1!.id], 'Channel deleted', '19:alpha@thread.tacv2');
      await store.parkOutbox([c1!.id], 'Forbidden', '19:beta@thread.tacv2');
      await store.retryOutbox([a1!.id], T0, 'a parked row stays parked');
      // a2 waits behind a1, in order, until a link lets a1 out; other threads go on.
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['d1']);
      // Held up behind a parked row, a2 does not count as late for /readyz.
      expect(await store.outboxStats()).toMatchObject({ pending: 2, parked: 3, oldestQueuedAt: T0 });
      expect(await store.parkedFor(['19:beta@thread.tacv2', '19:alpha@thread.tacv2', '19:none@thread.tacv2'])).toEqual([
        { channelId: '19:alpha@thread.tacv2', count: 2, reason: 'Channel deleted' },
        { channelId: '19:beta@thread.tacv2', count: 1, reason: 'Forbidden' },
      ]);
      expect(await store.parkedFor(['19:beta@thread.tacv2'])).toEqual([{ channelId: '19:beta@thread.tacv2', count: 1, reason: 'Forbidden' }]);
      expect(await store.parkedFor([])).toEqual([]);
    });

    it("lets a parked row out first, ahead of the texts of its thread that came after it, when its number is linked again", async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      await store.parkOutbox([a1!.id], 'Forbidden', '19:old@thread.tacv2');
      await store.completeOutbox([b1!.id]);
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([]);
      // Linked again, to another channel: the number's parked rows go out, whichever channel refused them.
      expect(await store.releaseParked('19:new@thread.tacv2', OTHER_OURS)).toEqual({ texts: 0, others: 0 });
      expect(await store.releaseParked('19:new@thread.tacv2', OUR)).toEqual({ texts: 1, others: 0 });
      const [head] = await store.claimOutbox('w1', 10, LEASE);
      expect(taskId(head!)).toBe('a1');
      await store.completeOutbox([head!.id]);
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['a2']);
    });

    it('puts the parked rows of one channel back in line when asked, and no others', async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      await store.parkOutbox([a1!.id], 'Bot removed from the team', '19:alpha@thread.tacv2');
      await store.parkOutbox([b1!.id], 'Forbidden', '19:beta@thread.tacv2');
      expect(await store.releaseParked('19:alpha@thread.tacv2')).toEqual({ texts: 1, others: 0 });
      expect(await store.releaseParked('19:alpha@thread.tacv2')).toEqual({ texts: 0, others: 0 });
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['a1']);
      expect(await store.parkedFor(['19:alpha@thread.tacv2', '19:beta@thread.tacv2'])).toEqual([
        { channelId: '19:beta@thread.tacv2', count: 1, reason: 'Forbidden' },
      ]);
    });

    it('holds a thread that waits for a link until the waiting rows are released', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'b1');
      const [a1] = await store.claimOutbox('w1', 1, LEASE);
      await store.waitForLink([a1!.id]);
      clock.advance(HOUR);
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['b1']);
      // a2 waits with a1, and so does a3, queued for the thread while it waits.
      await queue(store, 'a3');
      expect(await store.outboxStats()).toMatchObject({ pending: 1, waiting: 3 });
      expect(await store.releaseWaiting(OTHER_OURS)).toEqual({ texts: 0, others: 0 });
      expect(await store.releaseWaiting(OUR)).toEqual({ texts: 3, others: 0 });
      expect(await store.releaseWaiting(OUR)).toEqual({ texts: 0, others: 0 });
      expect(await store.claimOutbox('w1', 10, LEASE)).toEqual([a1]);
      await store.completeOutbox([a1!.id]);
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['a2']);
    });

    it("tells the customer texts a release lets out apart from our own status cards and updates queued with them", async () => {
      const { store } = await openAtT0();
      const a = customer('a'.charCodeAt(0));
      const b = customer('b'.charCodeAt(0));
      await queue(store, 'a1');
      const [a1] = await store.claimOutbox('w1', 10, LEASE);
      await store.waitForLink([a1!.id]);
      // A reply typed in the waiting thread, and its receipt: their card and its update wait with the text.
      await store.recordOutbound(outbound('out-a', { customerNumber: a }));
      expect(await store.applyReceipt(receipt('out-a', 'delivered'))).toBe(true);
      expect(await store.outboxStats()).toMatchObject({ waiting: 3 });
      expect(await store.releaseWaiting(OUR)).toEqual({ texts: 1, others: 2 });

      // A status card Teams refused for good in a channel is one of ours, not a customer's text.
      await drainOutbox(store);
      await store.recordOutbound(outbound('out-b', { customerNumber: b }));
      const [card] = await store.claimOutbox('w1', 10, LEASE);
      expect(card?.task).toEqual({ kind: 'outbound-card', messageId: 'out-b' });
      await store.parkOutbox([card!.id], 'Forbidden', '19:alpha@thread.tacv2');
      expect(await store.releaseParked('19:alpha@thread.tacv2')).toEqual({ texts: 0, others: 1 });
    });

    it('queues a text to a number no channel is linked to as waiting, and only a link of its number (or of all) lets it out', async () => {
      const store = await ctx.open({ now: fakeClock(T0.toISOString()).now });
      // A number that begins with another is a number of its own.
      const prefixOfOurs = OUR.slice(0, -1);
      await store.acceptInbound(inbound('to-prefix', { to: prefixOfOurs }));
      expect(await store.releaseWaiting(OUR)).toEqual({ texts: 0, others: 0 });
      await store.saveLink(link(OTHER_OURS));
      await store.acceptInbound(inbound('to-ours'));
      await store.acceptInbound(inbound('to-other', { to: OTHER_OURS }));
      expect(await store.outboxStats()).toMatchObject({ pending: 1, waiting: 2 });
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['to-other']);
      // Linked without releasing (as when the text's statement read the links just before
      // another instance linked the number): the sweep finds it; texts of other numbers stay.
      await store.acceptInbound(inbound('to-third', { to: '+61455555555' }));
      await store.saveLink(link(OUR, { createdAt: new Date(T0.getTime() + MINUTE) }));
      // Only links made since the time given count (the gap closes within a statement).
      expect(await store.releaseLinkedWaiting(new Date(T0.getTime() + 2 * MINUTE))).toBe(0);
      expect(await store.releaseLinkedWaiting(new Date(T0.getTime() + MINUTE))).toBe(1);
      expect(await store.releaseLinkedWaiting(T0)).toBe(0);
      expect(ids(await store.claimOutbox('w1', 10, LEASE))).toEqual(['to-ours']);
      expect(await store.outboxStats()).toMatchObject({ waiting: 2 });
      await store.saveLink(link(ANY_NUMBER));
      expect(await store.releaseLinkedWaiting(T0)).toBe(2);
      expect(ids(await store.claimOutbox('w1', 10, LEASE)).sort()).toEqual(['to-prefix', 'to-third']);
    });

    it('counts rows in line, waiting and parked, and tells since when the oldest in line has been queued, due or not', async () => {
      const { clock, store } = await openAtT0();
      expect(await store.outboxStats()).toEqual({ pending: 0, waiting: 0, parked: 0, oldestQueuedAt: undefined });
      await queue(store, 'a1');
      clock.advance(MINUTE);
      await queue(store, 'b1', 'c1', 'd1');
      const [a1, b1, c1, d1] = await store.claimOutbox('w1', 10, LEASE);
      expect(await store.outboxStats()).toEqual({ pending: 4, waiting: 0, parked: 0, oldestQueuedAt: T0 });
      await store.completeOutbox([a1!.id]);
      // Teams failing for an hour: the row is not due, but it has waited since it was queued.
      await store.retryOutbox([b1!.id], new Date(T0.getTime() + HOUR), 'later');
      await store.parkOutbox([c1!.id], 'gone', '19:alpha@thread.tacv2');
      await store.waitForLink([d1!.id]);
      const queuedB = new Date(T0.getTime() + MINUTE);
      expect(await store.outboxStats()).toEqual({ pending: 1, waiting: 1, parked: 1, oldestQueuedAt: queuedB });
      clock.advance(HOUR);
      // A parked row put back in line counts from then, not from when it first came.
      expect(await store.releaseParked('19:alpha@thread.tacv2')).toEqual({ texts: 1, others: 0 });
      await store.completeOutbox([b1!.id]);
      expect(await store.outboxStats()).toEqual({ pending: 1, waiting: 1, parked: 0, oldestQueuedAt: clock.now() });
    });

    it('marks a row whose Teams call started as maybe posted for whoever takes it over, until Teams refuses it', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      expect([a1!.maybePosted, b1!.maybePosted]).toEqual([false, false]);
      // Only the holder marks its rows.
      expect(await store.startOutboxAttempt([a1!.id, b1!.id], 'w2')).toBe(0);
      expect(await store.startOutboxAttempt([a1!.id, b1!.id], 'w1')).toBe(2);
      // Teams' answer to a1 was lost; Teams refused b1.
      await store.retryOutbox([a1!.id], T0, 'timed out', 'unknown');
      await store.retryOutbox([b1!.id], T0, 'Teams answered 503', 'refused');
      const again = await store.claimOutbox('w1', 10, LEASE);
      expect(again.map((r) => [taskId(r), r.maybePosted])).toEqual([
        ['a1', true],
        ['b1', false],
      ]);
      // A worker that died mid-call: its row is taken over after the lease, marked.
      await store.startOutboxAttempt([again[1]!.id], 'w1');
      clock.advance(LEASE);
      const takenOver = await store.claimOutbox('w2', 10, LEASE);
      expect(takenOver.map((r) => [taskId(r), r.maybePosted])).toEqual([
        ['a1', true],
        ['b1', true],
      ]);
    });

    it("renews only the holder's leases, so that nobody takes over a row whose post is slow", async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      clock.advance(LEASE - 1);
      expect(await store.renewOutbox([a1!.id, b1!.id], 'w2', LEASE)).toBe(0);
      expect(await store.renewOutbox([a1!.id], 'w1', LEASE)).toBe(1);
      clock.advance(1);
      // b1's lease ended; a1's goes on for another lease.
      expect(ids(await store.claimOutbox('w2', 10, LEASE))).toEqual(['b1']);
      clock.advance(LEASE - 2);
      expect(await store.claimOutbox('w3', 10, LEASE)).toEqual([]);
      await store.completeOutbox([a1!.id, b1!.id]);
      expect(await store.renewOutbox([a1!.id], 'w1', LEASE)).toBe(0);
    });

    it("puts an instance's earlier processes' claims back in line at once when it starts again, without counting an attempt", async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1', 'a2', 'b1', 'c1', 'd1');
      const [a1, b1] = await store.claimOutbox('host:3978:101', 2, LEASE);
      const [c1] = await store.claimOutbox('host:39780:7', 1, LEASE);
      const [d1] = await store.claimOutbox('host:3978:202', 1, LEASE);
      await store.startOutboxAttempt([a1!.id], 'host:3978:101');
      // Process 202 of the instance host:3978 starts: 101's claims come back, its own and another
      // instance's (whose name only begins the same) stay.
      expect(await store.releaseOutboxClaims('host:3978', 'host:3978:202')).toBe(2);
      const again = await store.claimOutbox('w3', 10, LEASE);
      expect(again).toEqual([
        { ...a1, maybePosted: true },
        { ...b1, maybePosted: false },
      ]);
      expect(again.map((r) => r.id)).not.toContain(c1!.id);
      expect(again.map((r) => r.id)).not.toContain(d1!.id);
      // The earlier process, should it live on, can no longer mark or renew what it held.
      expect(await store.startOutboxAttempt([b1!.id], 'host:3978:101')).toBe(0);
      expect(await store.releaseOutboxClaims('host:3978', 'host:3978:202')).toBe(0);
    });

    it('keeps done rows for a day and then prunes them, but never parked ones', async () => {
      const { clock, store } = await openAtT0();
      await queue(store, 'a1', 'b1');
      const [a1, b1] = await store.claimOutbox('w1', 10, LEASE);
      await store.completeOutbox([a1!.id]);
      await store.completeOutbox([a1!.id]);
      await store.parkOutbox([b1!.id], 'gone', '19:alpha@thread.tacv2');
      clock.advance(DONE_OUTBOX_RETENTION_MS - 1);
      expect(await store.prune()).toEqual({ submissions: 0, outbox: 0 });
      clock.advance(1);
      expect(await store.prune()).toEqual({ submissions: 0, outbox: 1 });
      expect(await store.outboxStats()).toMatchObject({ parked: 1 });
    });

    it('refuses a claim size or lease that is not a whole number, and claims nothing for a limit of 0', async () => {
      const { store } = await openAtT0();
      await queue(store, 'a1');
      await expect(store.claimOutbox('w1', 1, 0)).rejects.toMatchObject({ code: 'ERR_STORE', message: expect.stringMatching(/leaseMs/) });
      await expect(store.claimOutbox('w1', -1, LEASE)).rejects.toThrow(/limit/);
      await expect(store.claimOutbox('w1', 1.5, LEASE)).rejects.toThrow(/limit/);
      expect(await store.claimOutbox('w1', 0, LEASE)).toEqual([]);
      expect(ids(await store.claimOutbox('w1', 1, LEASE))).toEqual(['a1']);
    });

    describeSharedOutboxContract(ctx);
  });
};
