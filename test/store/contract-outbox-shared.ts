import { expect } from 'vitest';
import type { OutboxRow } from '../../src/store/relay.js';
import type { Store } from '../../src/store/store.js';
import { fakeClock } from './clock.js';
import type { ContractContext } from './contract.js';
import { customer, inbound, taskId } from './relay-fixtures.js';
import { itWhenShared } from './shared-only.js';

const THREADS = 20;
const ROWS = 200;

/** Both instances push their half of the messages, a few at a time, while the workers run. */
const pushAll = async (stores: readonly Store[]): Promise<void> => {
  const halves = stores.map((store, s) =>
    (async () => {
      for (let i = s; i < ROWS; i += stores.length * 5) {
        const batch = Array.from({ length: 5 }, (_, j) => i + j * stores.length).filter((n) => n < ROWS);
        await Promise.all(batch.map((n) => store.acceptInbound(inbound(`in-${n}`, { from: customer(n % THREADS) }))));
      }
    })(),
  );
  await Promise.all(halves);
};

/** The outbox across two instances on one database; registered inside the outbox part. */
export const describeSharedOutboxContract = (ctx: ContractContext): void => {
  itWhenShared(ctx)('gives two instances claiming at the same moment different threads', async () => {
    const [a, b] = [await ctx.openLinked(), await ctx.openLinked()];
    for (let i = 0; i < THREADS; i++) await a.acceptInbound(inbound(`in-${i}`, { from: customer(i) }));
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).claimOutbox(`w${i}`, 3, 60_000)));
    const ids = claims.flat().map((row) => row.id);
    expect(ids).toHaveLength(THREADS);
    expect(new Set(ids).size).toBe(THREADS);
    expect(await b.claimOutbox('late', 10, 60_000)).toEqual([]);
  });

  itWhenShared(ctx)('lets another instance take a row over once its lease ended, and only then', async () => {
    const clock = fakeClock();
    const [a, b] = [await ctx.openLinked({ now: clock.now }), await ctx.openLinked({ now: clock.now })];
    await a.acceptInbound(inbound('in-1'));
    await a.acceptInbound(inbound('in-2'));
    const [head] = await a.claimOutbox('a', 10, 30_000);
    expect(await b.claimOutbox('b', 10, 30_000)).toEqual([]);
    clock.advance(30_000);
    const taken = await b.claimOutbox('b', 10, 30_000);
    expect(taken).toEqual([{ ...head, attempts: 1 }]);
    expect(await a.claimFollowing(head!, 'a', 10, 30_000)).toEqual([]);
    expect((await b.claimFollowing(taken[0]!, 'b', 10, 30_000)).map(taskId)).toEqual(['in-2']);
  });

  itWhenShared(ctx)('delivers 200 rows of 20 threads once each and in id order, while two instances push and claim at once', async () => {
    const stores = [await ctx.openLinked(), await ctx.openLinked()];
    const completed: OutboxRow[] = [];
    const inHand = new Set<string>();
    const overlaps: string[] = [];
    const deadline = Date.now() + 20_000;

    const work = async (store: Store, worker: string) => {
      for (let round = 0; completed.length < ROWS && Date.now() < deadline; round++) {
        const rows = await store.claimOutbox(worker, 4, 60_000);
        if (rows.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        for (const row of rows) {
          if (inHand.has(row.key)) overlaps.push(`${worker} got ${row.id} while ${row.key} was in another hand`);
          inHand.add(row.key);
        }
        // Now and then a row fails and goes back in line; the rest are delivered.
        const [retried, delivered] = round % 5 === 0 ? [rows.slice(0, 1), rows.slice(1)] : [[], rows];
        // Let go of the keys before the store does: a claim resolving after this is legitimate.
        for (const row of rows) inHand.delete(row.key);
        completed.push(...delivered);
        await Promise.all([
          retried.length > 0 ? store.retryOutbox(retried.map((r) => r.id), new Date(), 'Teams answered 503') : undefined,
          store.completeOutbox(delivered.map((r) => r.id)),
        ]);
      }
    };

    await Promise.all([pushAll(stores), ...stores.map((store, i) => work(store, `worker-${i}`))]);

    expect(overlaps).toEqual([]);
    expect(completed.map(taskId).sort()).toEqual(Array.from({ length: ROWS }, (_, n) => `in-${n}`).sort());
    expect(new Set(completed.map((row) => row.id)).size).toBe(ROWS);
    const byKey = new Map<string, number[]>();
    for (const row of completed) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.id]);
    expect(byKey.size).toBe(THREADS);
    for (const [key, order] of byKey) expect(order, key).toEqual([...order].sort((x, y) => x - y));
    expect(await stores[0]!.outboxStats()).toMatchObject({ pending: 0, waiting: 0, parked: 0 });
  });
};
