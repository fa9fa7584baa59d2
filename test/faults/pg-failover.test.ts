import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/server.js';
import { startBridgeProcess } from '../helpers/bridge-process.js';
import { startFakeConnector } from '../helpers/fake-connector.js';
import { createTestDatabase, withAdmin } from '../helpers/postgres.js';
import { expectEachOnceInOrder, linkChannel, postedSms, pushSms, pushSmsUntilStored, until } from '../helpers/relay-traffic.js';

/**
 * PostgreSQL dropping the bridge's connections under load (a failover, a pooler restart, an
 * administrator's pg_terminate_backend): the bridge process survives, answers 503 (never 200)
 * for what it could not store, and every text ClickSend pushed shows up exactly once, in order.
 */

const CUSTOMERS = 6;
const PER_CUSTOMER = 8;

/** Terminates every backend of the bridge in `database` every `everyMs` until stopped; how many it ended. */
const terminateRounds = (url: string, everyMs: number) => {
  const database = new URL(url).pathname.slice(1);
  let running = true;
  let terminated = 0;
  const loop = (async () => {
    while (running) {
      await withAdmin(async (client) => {
        const { rows } = await client.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'clicksend-teams-bridge' AND pid <> pg_backend_pid()`,
          [database],
        );
        terminated += rows.filter((row) => row.ok).length;
      });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      return terminated;
    },
  };
};

describe('PostgreSQL terminating the bridge’s connections under load', () => {
  it('does not crash the bridge, and every text is posted once, in order', { timeout: 60_000 }, async ({ onTestFinished }) => {
    const database = await createTestDatabase();
    const sandbox = await createSandbox();
    const connector = await startFakeConnector();
    onTestFinished(async () => {
      await connector.close();
      await sandbox.close();
      await database.drop();
    });
    const bridge = await startBridgeProcess({ databaseUrl: database.url, sandbox });
    await linkChannel(bridge.url, connector);

    const terminator = terminateRounds(database.url, 250);
    let refused = 0;
    // One stream per customer, as ClickSend pushes: a text is pushed again until it is stored.
    await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, i) => {
        for (let n = 1; n <= PER_CUSTOMER; n += 1) refused += await pushSmsUntilStored(bridge.url, i + 1, n);
      }),
    );
    const terminated = await terminator.stop();
    expect(bridge.process.child.exitCode, `the bridge exited; output:\n${bridge.process.output().slice(-3000)}`).toBeNull();
    expect(terminated, 'backends terminated').toBeGreaterThan(0);

    await until(() => postedSms(connector).length >= CUSTOMERS * PER_CUSTOMER, 'every text in Teams', 30_000);
    // A moment for anything that would be posted twice.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(bridge.process.child.exitCode, `the bridge's exit; output:\n${bridge.process.output().slice(-3000)}`).toBeNull();
    expect(bridge.process.output()).not.toMatch(/Unhandled 'error' event/);
    expectEachOnceInOrder(connector, CUSTOMERS, PER_CUSTOMER);
    // Some pushes met a dead connection: they were refused (for ClickSend to push again), not lost.
    expect(refused).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 while the database takes no connections at all, and resumes by itself when it does', { timeout: 60_000 }, async ({ onTestFinished }) => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const sandbox = await createSandbox();
    const connector = await startFakeConnector();
    onTestFinished(async () => {
      await withAdmin((client) => client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
      await connector.close();
      await sandbox.close();
      await database.drop();
    });
    const bridge = await startBridgeProcess({ databaseUrl: database.url, sandbox });
    await linkChannel(bridge.url, connector);
    for (let n = 1; n <= 2; n += 1) await pushSmsUntilStored(bridge.url, 1, n);

    // The database goes away for a while: no new connection, the open ones ended.
    await withAdmin(async (client) => {
      await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    });
    const refused: number[] = [];
    for (let i = 0; i < 5; i += 1) refused.push(await pushSms(bridge.url, 1, 3).catch(() => 0));
    // Never 200 for a text it could not store.
    expect(refused.every((status) => status === 503), `statuses ${refused.join(', ')}`).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bridge.process.child.exitCode, `the bridge exited; output:\n${bridge.process.output().slice(-3000)}`).toBeNull();

    await withAdmin((client) => client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    for (let n = 3; n <= 5; n += 1) await pushSmsUntilStored(bridge.url, 1, n);
    await until(() => postedSms(connector).length >= 5, 'every text in Teams', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expectEachOnceInOrder(connector, 1, 5);
  });
});
