import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { storeFailureReason } from '../../src/store/write-probe.js';
import { createTestDatabase, withAdmin } from '../helpers/postgres.js';
import { until } from '../helpers/relay-traffic.js';

/** A store on a database of its own (the test changes the database's settings). */
const openOnOwnDatabase = async () => {
  const database = await createTestDatabase();
  const store = await openPostgresStore({ url: database.url, logger: silentLogger });
  onTestFinished(async () => {
    await store.close();
    await database.drop();
  });
  return { store, url: database.url, name: new URL(database.url).pathname.slice(1) };
};

describe('postgres write probe', () => {
  it('rejects with 25006 while the database is read-only (a replica after a failover), though reads pass, and resolves once it takes writes', async () => {
    const { store, name } = await openOnOwnDatabase();
    await expect(store.probeWrite()).resolves.toBeUndefined();
    // New sessions start read-only; the store's own are ended, so that it makes new ones.
    const setReadOnly = (on: boolean) =>
      withAdmin(async (client) => {
        await client.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      });
    await setReadOnly(true);
    // The first calls may meet a connection the server has just ended (57P01).
    const refusal = await until(async () => {
      const error = await store.probeWrite().then(() => undefined, (e: unknown) => e);
      return (error as { dbCode?: string } | undefined)?.dbCode === '25006' ? error : undefined;
    }, 'the probe to meet a read-only session');
    expect(refusal).toMatchObject({ code: 'ERR_STORE', operation: 'probeWrite', dbCode: '25006' });
    expect(storeFailureReason(refusal)).toMatch(/^the database is read-only \(25006\)/);
    await expect(store.ping()).resolves.toBeUndefined();

    await setReadOnly(false);
    await until(() => store.probeWrite().then(() => true, () => false), 'the probe to pass again');
  });

  it('gives up after its statement timeout when another transaction holds the probe row', { timeout: 15_000 }, async () => {
    const { store, url } = await openOnOwnDatabase();
    await store.probeWrite();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM store_probe FOR UPDATE');
      const started = Date.now();
      await expect(store.probeWrite()).rejects.toMatchObject({ code: 'ERR_STORE', dbCode: '57014' });
      expect(Date.now() - started).toBeLessThan(5_000);
      await holder.query('ROLLBACK');
      // The timeout was the probe's alone: the connection it used serves the next call as usual.
      await expect(store.probeWrite()).resolves.toBeUndefined();
      await expect(store.claimSubmission('after-timeout')).resolves.toBe('claimed');
    } finally {
      await holder.end();
    }
  });
});
