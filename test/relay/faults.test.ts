import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BOT, CHANNEL_ID, TEAM_ID, TENANT, textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { startWorker } from '../helpers/delivery-worker.js';
import { startFakeConnector, type ConnectorAttempt, type FakeConnector, type ScriptedFailure } from '../helpers/fake-connector.js';
import { customerNumber, expectEachOnceInOrder, linkChannel, OUR_NUMBER, postedSms, pushBurst, smsBody, smsId, smsPosts, until } from '../helpers/relay-traffic.js';

/**
 * The outbox against a Bot Connector that fails as Teams does: every inbound SMS still ends up
 * in Teams exactly once and in order, retries wait as long as Teams asks (or back off), and what
 * Teams will never take is parked and shown by `links`. The whole bridge runs in this process.
 *
 * Tests share a bridge per engine (starting one costs about a second of CPU) and keep apart by
 * lanes: each links a number of its own to a channel of its own (so a budget of its own), whose
 * Teams is a fake connector of its own.
 */

const ENGINES = ['sqlite', 'postgres'] as const;
type Engine = (typeof ENGINES)[number];
const PER_CUSTOMER = 3;

/** A bridge for the tests of one describe block, started before them and stopped after them all. */
const sharedBridge = (engine: Engine): (() => TestBridge) => {
  let bridge: TestBridge | undefined;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    bridge = await startTestBridge({ webhooks: true, database: { engine }, cleanup: (stop) => stops.push(stop) });
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });
  return () => bridge!;
};

interface Lane {
  readonly bridge: TestBridge;
  /** The lane's Teams. */
  readonly connector: FakeConnector;
  readonly number: string;
  readonly channelId: string;
  /** Pushes texts `from..to` of `customers` customers numbered from `first` to the lane's number. */
  push(customers: number, from: number, to: number, first?: number): Promise<void>;
}

let lanes = 0;
const openLane = async (bridge: TestBridge, { onTestFinished }: TestContext): Promise<Lane> => {
  lanes += 1;
  const number = `+6148000${String(lanes).padStart(4, '0')}`;
  const channelId = `19:lane-${lanes}@thread.tacv2`;
  const connector = await startFakeConnector();
  onTestFinished(() => connector.close());
  await linkChannel(bridge.url, connector, { number, channelId });
  return {
    bridge,
    connector,
    number,
    channelId,
    push: (customers, from, to, first = 1) => pushBurst(bridge.url, customers, from, to, { first, ourNumber: number }),
  };
};

/** The connector's attempts from `index` on (sends made after the fault was set up). */
const attemptsFrom = (connector: FakeConnector, index: number): ConnectorAttempt[] => connector.attempts.slice(index);

/** Waits until the lane got `texts` texts. */
const arrived = (lane: Lane, texts: number): Promise<true> =>
  until(() => postedSms(lane.connector).length >= texts, `${texts} texts in Teams`, 15_000);

/** Waits until the bridge's outbox is empty: nothing more is on its way, to any lane. */
const drained = (bridge: TestBridge): Promise<true> =>
  until(async () => (await bridge.app.store.outboxStats()).pending === 0, 'an empty outbox', 15_000);

interface Fault {
  readonly name: string;
  readonly failure: ScriptedFailure;
  /** The least time from the refused attempt to the retry. */
  readonly minGapMs: number;
  /** The most, with room for a loaded machine: Teams' wait or the first backoff, not more. */
  readonly maxGapMs: number;
  /** A 429 holds back every thread of the channel, not only the refused one. */
  readonly holdsChannel?: boolean;
}

// The first backoff is 1 s with jitter (0.5-1 s); a 429 without Retry-After holds the channel 1 s.
// A 429 also holds every conversation of the bridge for up to Teams' 1 s global window, the
// lanes of the other 429 tests running beside as well: a second more for those.
const FAULTS: readonly Fault[] = [
  { name: '429 with Retry-After', failure: { status: 429, retryAfter: 2 }, minGapMs: 2_000, maxGapMs: 4_500, holdsChannel: true },
  { name: '429 without Retry-After', failure: { status: 429 }, minGapMs: 1_000, maxGapMs: 3_500, holdsChannel: true },
  { name: '412', failure: { status: 412 }, minGapMs: 500, maxGapMs: 2_500 },
  { name: '500', failure: { status: 500 }, minGapMs: 500, maxGapMs: 2_500 },
  { name: '503', failure: { status: 503 }, minGapMs: 500, maxGapMs: 2_500 },
  { name: '503 with Retry-After', failure: { status: 503, retryAfter: 2 }, minGapMs: 2_000, maxGapMs: 3_500 },
];

/** Pushes `PER_CUSTOMER` texts of `customers` customers through one refusal; the attempts meanwhile. */
const throughFault = async (lane: Lane, customers: number, fault: Fault): Promise<ConnectorAttempt[]> => {
  const from = lane.connector.attempts.length;
  lane.connector.failNext(fault.failure);
  await lane.push(customers, 1, PER_CUSTOMER);
  await arrived(lane, customers * PER_CUSTOMER);
  const attempts = attemptsFrom(lane.connector, from);
  expect(attempts.filter((a) => a.status === fault.failure.status), 'refused attempts').toHaveLength(1);
  return attempts;
};

describe.concurrent('delivery to Teams through its failures', { timeout: 30_000 }, () => {
  const bridges = ENGINES.map((engine) => ({ engine, bridge: sharedBridge(engine) }));
  /** Runs `scenario` on every engine at once, naming the engine in a failure. */
  const onEveryEngine = async (scenario: (bridge: TestBridge) => Promise<void>): Promise<void> => {
    await Promise.all(
      bridges.map(({ engine, bridge }) =>
        scenario(bridge()).catch((error: unknown) => {
          throw new Error(`on ${engine}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }),
      ),
    );
  };

  it.for(FAULTS)('retries after $name, as long as Teams asks, and posts every text once in order', (fault, context) =>
    onEveryEngine(async (bridge) => {
      const [alone, pair] = await Promise.all([openLane(bridge, context), openLane(bridge, context)]);
      const [one, two] = await Promise.all([throughFault(alone, 1, fault), throughFault(pair, 2, fault)]);

      // One customer: the attempt after the refused one is its retry.
      const refused = one.findIndex((a) => a.status === fault.failure.status);
      const gap = one[refused + 1]!.at - one[refused]!.at;
      expect(gap).toBeGreaterThanOrEqual(fault.minGapMs);
      expect(gap).toBeLessThanOrEqual(fault.maxGapMs);
      if (fault.holdsChannel) {
        // Two customers: all threads of a channel share Teams' budget, so the other one waits as well.
        const throttledAt = two.find((a) => a.status === 429)!.at;
        expect(two.filter((a) => a.at > throttledAt && a.at < throttledAt + fault.minGapMs)).toEqual([]);
      }
      await drained(bridge);
      expectEachOnceInOrder(alone.connector, 1, PER_CUSTOMER);
      expectEachOnceInOrder(pair.connector, 2, PER_CUSTOMER);
    }),
  );

  it('rides out a connector that is down for a second and posts every text once in order', (context) =>
    onEveryEngine(async (bridge) => {
      const lanes = await Promise.all([openLane(bridge, context), openLane(bridge, context)]);
      const from = lanes.map((lane) => lane.connector.attempts.length);
      const downSince = Date.now();
      for (const lane of lanes) lane.connector.down(true);
      await Promise.all(lanes.map((lane, i) => lane.push(i + 1, 1, PER_CUSTOMER)));
      await until(() => lanes.every((lane, i) => attemptsFrom(lane.connector, from[i]!).some((a) => a.status === 0)), 'refused sends');
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, downSince + 1_000 - Date.now())));
      for (const lane of lanes) lane.connector.down(false);
      await Promise.all(lanes.map((lane, i) => arrived(lane, (i + 1) * PER_CUSTOMER)));
      await drained(bridge);

      // Backing off, not hammering: one customer's refused send is retried no sooner than the least backoff.
      const attempts = attemptsFrom(lanes[0]!.connector, from[0]!);
      for (let i = 1; i < attempts.length && attempts[i - 1]!.status === 0; i += 1) {
        expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(500);
      }
      lanes.forEach((lane, i) => expectEachOnceInOrder(lane.connector, i + 1, PER_CUSTOMER));
    }),
  );

  it.for([403, 404])('parks what Teams refuses with %i, holds the thread behind it in order, reports it in links, and lets it out first on a new link', (status, context) =>
    onEveryEngine(async (bridge) => {
      const lane = await openLane(bridge, context);
      const from = lane.connector.attempts.length;
      lane.connector.failNext({ status, times: 100 });
      await lane.push(2, 1, 1);

      // Each customer's first text is refused and parked.
      const parked = async () => (await bridge.app.store.parkedFor([lane.channelId]))[0]?.count ?? 0;
      await until(async () => (await parked()) === 2, 'the first texts parked');
      const refused = () => attemptsFrom(lane.connector, from).filter((a) => a.status === status).length;
      const tried = refused();
      expect(tried).toBe(2);
      // Longer than the first backoff: a row put back for a retry would have been tried again.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(refused()).toBe(tried);
      expect(postedSms(lane.connector)).toEqual([]);

      // Teams takes posts again, but the next texts keep their place behind the parked ones.
      lane.connector.clearFailures();
      await lane.push(2, 2, 3);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(postedSms(lane.connector)).toEqual([]);
      const typed = textMessage(lane.connector.url, 'links', 'channel');
      await bridge.post({
        ...typed,
        conversation: { ...typed.conversation, id: `${lane.channelId};messageid=1700000000000` },
        channelData: { ...typed.channelData, channel: { id: lane.channelId } },
      });
      const report = await until(() => lane.connector.cards().find((c) => cardText(c.card).includes('Linked numbers')), 'the links card');
      // The lane's row: its number, "this channel", and the problem.
      expect(cardText(report.card)).toMatch(new RegExp(`\\${lane.number}\\nthis channel\\n2 post\\(s\\) could not be delivered: [^\\n]*HTTP ${status}`));

      // Linked again: the refused texts go first, then the ones that waited behind them.
      await linkChannel(bridge.url, lane.connector, { number: lane.number, channelId: lane.channelId });
      await until(() => postedSms(lane.connector).length === 6, 'every text in Teams');
      expectEachOnceInOrder(lane.connector, 2, 3);
    }),
  );

  it('does not hold up one channel while Teams is slow to answer another', (context) =>
    onEveryEngine(async (bridge) => {
      const [slow, other] = await Promise.all([openLane(bridge, context), openLane(bridge, context)]);
      slow.connector.hold();
      await slow.push(1, 1, 1);
      await until(() => slow.connector.held === 1, 'the post held');
      await other.push(1, 1, 1);
      await arrived(other, 1);
      expect(slow.connector.held).toBe(1);

      slow.connector.release();
      await arrived(slow, 1);
      await drained(bridge);
      expectEachOnceInOrder(slow.connector, 1, 1);
      expectEachOnceInOrder(other.connector, 1, 1);
    }),
  );
});

// Floods wait for Teams' budget and keep the worker busy meanwhile: away from the timed tests.
describe.concurrent('a flood of texts', { timeout: 30_000 }, () => {
  const bridges = ENGINES.map((engine) => sharedBridge(engine));
  /** Runs `flood` in a lane of every engine's bridge at once, with Teams' limits enforced; checks none was hit. */
  const flood = (context: TestContext, texts: number, flood: (lane: Lane) => Promise<void>) =>
    Promise.all(
      bridges.map(async (bridge) => {
        const lane = await openLane(bridge(), context);
        const from = lane.connector.attempts.length;
        lane.connector.enforceLimits(true);
        await flood(lane);
        await arrived(lane, texts);
        await drained(lane.bridge);
        expect(lane.connector.throttled / attemptsFrom(lane.connector, from).length, 'throttled share').toBeLessThan(0.01);
        return lane;
      }),
    );

  it('from one customer is batched into digest cards, each text once and in order, within Teams’ limits', async (context) => {
    const lanes = await flood(context, 30, (lane) => lane.push(1, 1, 30));
    for (const lane of lanes) {
      expectEachOnceInOrder(lane.connector, 1, 30);
      expect(smsPosts(lane.connector)).toBeLessThan(30);
    }
  });

  it('from several customers of one channel stays within the channel’s limits', async (context) => {
    // Each customer's texts in order, the customers at once: their threads share the channel's budget.
    const lanes = await flood(context, 30, (lane) => Promise.all([1, 2, 3, 4, 5, 6].map((customer) => lane.push(1, 1, 5, customer))).then(() => undefined));
    for (const lane of lanes) expectEachOnceInOrder(lane.connector, 6, 5);
  });

  it('into ten channels at once stays within the app’s 50 posts a second', async ({ onTestFinished }) => {
    const CHANNELS = 10;
    // 8 new threads per channel: 80 posts due at once, where each channel alone may make 7 a second.
    const PER_CHANNEL = 8;
    await Promise.all(
      bridges.map(async (bridge) => {
        // One Teams for all ten channels, so that it counts them against one global budget.
        const connector = await startFakeConnector();
        onTestFinished(() => connector.close());
        const numbers: string[] = [];
        for (let c = 0; c < CHANNELS; c += 1) {
          lanes += 1;
          numbers.push(`+6148000${String(lanes).padStart(4, '0')}`);
          await linkChannel(bridge().url, connector, { number: numbers[c], channelId: `19:lane-${lanes}@thread.tacv2` });
        }
        connector.enforceLimits(true);
        const from = connector.attempts.length;
        await Promise.all(numbers.map((number, c) => pushBurst(bridge().url, PER_CHANNEL, 1, 1, { first: c * PER_CHANNEL + 1, ourNumber: number })));
        await until(() => postedSms(connector).length >= CHANNELS * PER_CHANNEL, 'every text in Teams', 15_000);
        await drained(bridge());
        expect(attemptsFrom(connector, from).length, 'attempts').toBe(CHANNELS * PER_CHANNEL);
        expect(connector.throttled, '429s').toBe(0);
        expectEachOnceInOrder(connector, CHANNELS * PER_CHANNEL, 1);
      }),
    );
  });
});

// The bridge's worker keeps its production timing (its options are not reachable through
// createApp), so the cap is checked on a worker of its own with a short longest backoff.
describe('the outbox worker', () => {
  it('posts a text stored as waiting just as another instance linked its number, within a sweep', async (context) => {
    const { connector, store, delivery, link } = await startWorker(context, { idleMs: 50, linkSweepMs: 200 });
    await store.acceptInbound({ messageId: smsId(1, 1), from: customerNumber(1), to: OUR_NUMBER, body: smsBody(1, 1), sentAt: new Date() });
    expect(await store.outboxStats()).toMatchObject({ pending: 0, waiting: 1 });
    // The link lands without its release of the waiting rows (that instance released before
    // this text was committed): only the sweep can let the text out.
    await link();
    delivery.start();
    await until(() => postedSms(connector).length === 1, 'the text in Teams', 5_000);
    expectEachOnceInOrder(connector, 1, 1);
    // Done once its post is recorded, a moment after Teams took it.
    await until(async () => (await store.outboxStats()).pending === 0, 'the row done');
    expect(await store.outboxStats()).toMatchObject({ pending: 0, waiting: 0 });
  });

  it('waits no longer than its longest backoff, however long Teams asks it to wait', { timeout: 15_000 }, async (context) => {
    const { connector, store, delivery, link } = await startWorker(context, { maxBackoffMs: 1_500, idleMs: 50 });
    await link();
    connector.failNext({ status: 429, retryAfter: 3_600 });
    for (const n of [1, 2]) {
      await store.acceptInbound({ messageId: smsId(1, n), from: customerNumber(1), to: OUR_NUMBER, body: smsBody(1, n), sentAt: new Date() });
    }
    delivery.start();

    await until(() => postedSms(connector).length === 2, 'both texts in Teams', 5_000);
    const [refused, retry] = connector.attempts;
    expect(refused?.status).toBe(429);
    expect(retry!.at - refused!.at).toBeGreaterThanOrEqual(1_500);
    expect(retry!.at - refused!.at).toBeLessThan(3_000);
    expectEachOnceInOrder(connector, 1, 2);
  });
});
