import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxWorker } from '../../src/bridge/outbox-worker.js';
import { silentLogger } from '../../src/log.js';
import type { OutboxRow } from '../../src/store/relay.js';

const row = (id: number): OutboxRow => ({ id, key: `k${id}`, task: { kind: 'inbound', messageId: `m${id}` }, attempts: 0, createdAt: new Date(0), maybePosted: false });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue the worker claims from, recording when each claim ran. */
const fakeOutbox = () => {
  const queued: OutboxRow[] = [];
  const claims: number[] = [];
  const delivered: { id: number; at: number }[] = [];
  let next = 1;
  return {
    queued,
    claims,
    delivered,
    push(): number {
      queued.push(row(next));
      return next++;
    },
    claim: async (limit: number) => {
      claims.push(performance.now());
      return queued.splice(0, limit);
    },
    handle: async (r: OutboxRow) => {
      delivered.push({ id: r.id, at: performance.now() });
    },
  };
};

const stops: (() => Promise<boolean>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

const start = (outbox: ReturnType<typeof fakeOutbox>, minClaimGapMs: number) => {
  const worker = createOutboxWorker({ claim: outbox.claim, handle: outbox.handle, log: silentLogger }, { batch: 64, idleMs: 5_000, minClaimGapMs });
  worker.start();
  stops.push(worker.stop);
  return worker;
};

describe('the outbox worker', () => {
  it('claims at once when woken after a quiet spell', async () => {
    const outbox = fakeOutbox();
    const worker = start(outbox, 40);
    await sleep(60);
    const id = outbox.push();
    const woken = performance.now();
    worker.wake();
    await sleep(20);
    expect(outbox.delivered.map((d) => d.id)).toEqual([id]);
    expect(outbox.delivered[0]!.at - woken).toBeLessThan(15);
  });

  it('claims once per gap during a burst of wakes, and delivers the last push of the burst within a gap', async () => {
    const outbox = fakeOutbox();
    const worker = start(outbox, 40);
    await sleep(60);
    const claimsBefore = outbox.claims.length;
    // 200 pushes over about 200 ms, each waking the worker, as the relay does.
    let last = 0;
    let lastAt = 0;
    for (let i = 0; i < 200; i += 1) {
      last = outbox.push();
      lastAt = performance.now();
      worker.wake();
      if (i % 10 === 9) await sleep(10);
    }
    await sleep(100);
    const burstClaims = outbox.claims.slice(claimsBefore);
    // Rounds, not pushes: about one claim per 40 ms (timers fire on whole milliseconds).
    expect(burstClaims.length).toBeLessThan(40);
    for (let i = 1; i < burstClaims.length; i += 1) expect(burstClaims[i]! - burstClaims[i - 1]!).toBeGreaterThanOrEqual(38);
    expect(outbox.delivered.map((d) => d.id)).toContain(last);
    expect(outbox.delivered.find((d) => d.id === last)!.at - lastAt).toBeLessThan(40 + 25);
  });

  it('stops at once even while waiting out a gap', async () => {
    const outbox = fakeOutbox();
    const worker = start(outbox, 5_000);
    outbox.push();
    worker.wake();
    await sleep(10);
    const stopping = performance.now();
    expect(await worker.stop()).toBe(true);
    expect(performance.now() - stopping).toBeLessThan(100);
  });

  it('works through a backlog round after round, without waiting out the gap', async () => {
    const outbox = fakeOutbox();
    for (let i = 0; i < 640; i += 1) outbox.push();
    const worker = createOutboxWorker({ claim: outbox.claim, handle: outbox.handle, log: silentLogger }, { batch: 8, idleMs: 5_000, minClaimGapMs: 40 });
    const started = performance.now();
    worker.start();
    stops.push(worker.stop);
    // 80 full rounds: paced, that would take 80 gaps (3.2 s).
    while (outbox.delivered.length < 640 && performance.now() - started < 2_000) await sleep(5);
    expect(outbox.delivered).toHaveLength(640);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('the outbox worker when the store fails', () => {
  it('logs a failing store once, backs off between claims, and says when claims work again', async () => {
    const lines: { level: string; msg: string }[] = [];
    const log = {
      error: (_fields: unknown, msg: string) => void lines.push({ level: 'error', msg }),
      info: (_fields: unknown, msg: string) => void lines.push({ level: 'info', msg }),
    };
    let failing = true;
    const claims: number[] = [];
    const worker = createOutboxWorker(
      {
        claim: async () => {
          claims.push(performance.now());
          if (failing) throw new Error('attempt to write a readonly database');
          return [];
        },
        handle: async () => undefined,
        log: log as unknown as typeof silentLogger,
      },
      { batch: 8, idleMs: 10 },
    );
    worker.start();
    stops.push(() => worker.stop());
    await sleep(700);
    failing = false;
    await sleep(1_400);
    // 10, 20, 40, 80, 160, 320 ms... : a handful of claims in the outage, not one every 10 ms.
    const during = claims.filter((at) => at - claims[0]! < 700).length;
    expect(during).toBeLessThanOrEqual(8);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(lines.filter((l) => l.msg === 'outbox claims work again')).toHaveLength(1);
  });
});
