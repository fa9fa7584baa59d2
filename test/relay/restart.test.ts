import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { createSandbox } from '../../src/sandbox/server.js';
import { startBridgeProcess } from '../helpers/bridge-process.js';
import { startFakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, withAdmin } from '../helpers/postgres.js';
import { expectEachOnceInOrder, linkChannel, postedSms, pushBurst, until } from '../helpers/relay-traffic.js';

/**
 * The bridge as a real process (as `npm start` runs it: `npm test` builds it), killed with SIGKILL while
 * Teams holds its posts, then started again on the same database: every inbound SMS still
 * shows up exactly once, in order per customer.
 */

const CUSTOMERS = 4;
const PER_CUSTOMER = 10;

/** The database both bridge processes use, and the test's own look into its outbox. */
interface TestStore {
  readonly url: string;
  /**
   * Ends the dead process's leases. A restarted bridge is another worker: it takes the rows
   * the dead one held once their lease (60 s) is over, which is what this stands in for.
   */
  endLeases(): Promise<void>;
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
    endLeases: async () => {
      withDb((db) => db.prepare(`UPDATE outbox SET lease_until = ? WHERE status = 'claimed'`).run(Date.now() - 1));
    },
    unfinished: async () => withDb((db) => db.prepare<[], { n: number }>(UNFINISHED).get()?.n ?? 0),
  };
};

const postgresStore = async ({ onTestFinished }: TestContext): Promise<TestStore> => {
  const database = await createTestDatabase();
  // After the processes are killed (afterEach): the drop closes whatever they left open.
  onTestFinished(() => database.drop());
  return {
    url: database.url,
    endLeases: () =>
      withAdmin(async (client) => {
        await client.query(`UPDATE outbox SET lease_until = now() - interval '1 millisecond' WHERE status = 'claimed'`);
      }, database.url),
    unfinished: () => withAdmin(async (client) => Number((await client.query<{ n: string }>(UNFINISHED)).rows[0]?.n ?? 0), database.url),
  };
};

/** The burst, the crash and the restart against one engine; every text once and in order at the end. */
const killMidBurst = async (engine: 'sqlite' | 'postgres', context: TestContext): Promise<void> => {
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
  // The dead bridge's requests never reached Teams.
  connector.drop();
  await store.endLeases();

  const second = await startBridgeProcess({ databaseUrl: store.url, sandbox });
  // ClickSend repeats the pushes it got no answer for (text 6), and the burst goes on.
  await pushBurst(second.url, CUSTOMERS, 6, PER_CUSTOMER);
  connector.release();

  await until(() => postedSms(connector).length >= CUSTOMERS * PER_CUSTOMER, 'every text in Teams', 15_000);
  await until(async () => (await store.unfinished()) === 0, 'an empty outbox');
  expectEachOnceInOrder(connector, CUSTOMERS, PER_CUSTOMER);
};

describe('the bridge killed mid-burst and started again', () => {
  // One test for both engines, side by side: the process helper kills every child after each test.
  it('posts every text exactly once, in order per customer, on SQLite and on PostgreSQL', { timeout: 40_000 }, async (context) => {
    await Promise.all(
      (['sqlite', 'postgres'] as const).map((engine) =>
        killMidBurst(engine, context).catch((error: unknown) => {
          throw new Error(`on ${engine}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }),
      ),
    );
  });
});
