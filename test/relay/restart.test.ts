import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { createSandbox } from '../../src/sandbox/server.js';
import { startBridgeProcess } from '../helpers/bridge-process.js';
import { startFakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, withAdmin } from '../helpers/postgres.js';
import { REPEAT_NOTE } from '../../src/bridge/relay-cards.js';
import { cardText } from '../helpers/bridge.js';
import { expectEachOnceInOrder, linkChannel, postedSms, pushBurst, until } from '../helpers/relay-traffic.js';

/**
 * The bridge as a real process (as `npm start` runs it: `npm test` builds it), killed with SIGKILL while
 * Teams holds its posts, then started again on the same database and port: every inbound SMS still
 * shows up exactly once, in order per customer, but for the posts Teams took as the bridge died,
 * which show again marked as possible repeats.
 */

const CUSTOMERS = 4;
const PER_CUSTOMER = 10;

/** The database both bridge processes use, and the test's own look into its outbox. */
interface TestStore {
  readonly url: string;
  /** Outbox rows not yet done (in line, or waiting for a link). */
  unfinished(): Promise<number>;
}

const UNFINISHED = `SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'claimed', 'waiting')`;

const sqliteStore = ({ onTestFinished }: TestContext): TestStore => {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-restart-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'bridge.sqlite');
  const withDb = <T>(work: (db: Database.Database) => T): T => {
    const db = new Database(path, { timeout: 5_000 });
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    url: `sqlite:${path}`,
    unfinished: async () => withDb((db) => db.prepare<[], { n: number }>(UNFINISHED).get()?.n ?? 0),
  };
};

const postgresStore = async ({ onTestFinished }: TestContext): Promise<TestStore> => {
  const database = await createTestDatabase();
  // After the processes are killed (afterEach): the drop closes whatever they left open.
  onTestFinished(() => database.drop());
  return {
    url: database.url,
    unfinished: () => withAdmin(async (client) => Number((await client.query<{ n: string }>(UNFINISHED)).rows[0]?.n ?? 0), database.url),
  };
};

/**
 * The burst, the crash and the restart (the same instance: the same port) against one engine;
 * every text once and in order at the end. `teamsTookThem`: Teams showed the posts the dead
 * bridge was waiting on (else they never arrived), the one duplicate nobody can rule out.
 */
const killMidBurst = async (engine: 'sqlite' | 'postgres', context: TestContext, teamsTookThem: boolean): Promise<void> => {
  const sandbox = await createSandbox();
  const connector = await startFakeConnector();
  context.onTestFinished(async () => {
    await connector.close();
    await sandbox.close();
  });
  const store = engine === 'sqlite' ? sqliteStore(context) : await postgresStore(context);

  const first = await startBridgeProcess({ databaseUrl: store.url, sandbox });
  await linkChannel(first.url, connector);
  // The burst begins while Teams answers: every customer gets a thread.
  await pushBurst(first.url, CUSTOMERS, 1, 2);
  await until(() => postedSms(connector).length === CUSTOMERS * 2, 'the first texts in Teams');

  // Teams stops answering; the burst goes on; the bridge dies with its posts on the way.
  connector.hold();
  await pushBurst(first.url, CUSTOMERS, 3, 6);
  await until(() => connector.held > 0, 'a post held by Teams');
  await first.kill();
  expect(await first.process.exited()).toEqual({ code: null, signal: 'SIGKILL' });
  const inFlight = connector.held;
  const cardsBefore = connector.cards().length;
  if (teamsTookThem) connector.release();
  else connector.drop();
  const shownByTeams = connector.cards().slice(cardsBefore);

  // The same instance starts again: it takes its dead process's claims back at once, without
  // waiting for their leases (the test would time out waiting for them).
  const second = await startBridgeProcess({ databaseUrl: store.url, sandbox, port: Number(new URL(first.url).port) });
  // ClickSend repeats the pushes it got no answer for (text 6), and the burst goes on.
  await pushBurst(second.url, CUSTOMERS, 6, PER_CUSTOMER);
  if (!teamsTookThem) connector.release();

  await until(() => postedSms(connector).length >= CUSTOMERS * PER_CUSTOMER + (teamsTookThem ? countSms(shownByTeams) : 0), 'every text in Teams', 15_000);
  await until(async () => (await store.unfinished()) === 0, 'an empty outbox');
  if (!teamsTookThem) {
    expectEachOnceInOrder(connector, CUSTOMERS, PER_CUSTOMER);
    return;
  }
  // At most the posts in flight at the kill are shown twice, the second time marked as a possible repeat.
  const repeated = connector.cards().filter((c) => cardText(c.card).includes(REPEAT_NOTE));
  expect(repeated.length).toBeLessThanOrEqual(inFlight);
  expect(countSms(repeated)).toBe(countSms(shownByTeams));
  const once = connector.cards().filter((c) => !cardText(c.card).includes(REPEAT_NOTE));
  expect(countSms(once)).toBe(CUSTOMERS * PER_CUSTOMER);
  expect(connector.calls.filter((c) => c.created).length, 'one thread per customer').toBe(CUSTOMERS);
};

/** How many numbered texts these cards carry. */
const countSms = (cards: readonly { card: Record<string, unknown> }[]): number =>
  cards.reduce((sum, { card }) => sum + [...cardText(card).matchAll(/\bc\d+m\d+\b/g)].length, 0);

describe('the bridge killed mid-burst and started again', () => {
  // One test for both engines, side by side: the process helper kills every child after each test.
  for (const teamsTookThem of [false, true]) {
    const title = teamsTookThem
      ? 'marks the posts Teams took just before the kill, when it posts them again; every other text once, in order'
      : 'posts every text exactly once, in order per customer, on SQLite and on PostgreSQL';
    it(title, { timeout: 40_000 }, async (context) => {
      await Promise.all(
        (['sqlite', 'postgres'] as const).map((engine) =>
          killMidBurst(engine, context, teamsTookThem).catch((error: unknown) => {
            throw new Error(`on ${engine}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }),
        ),
      );
    });
  }
});
