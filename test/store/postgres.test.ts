import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { enqueuePostgres } from '../../src/store/postgres/enqueue.js';
import { threadKey } from '../../src/store/relay.js';
import { describeStoreContract } from './contract.js';
import type { Store } from '../../src/store/store.js';
import { CUSTOMER, CUSTOMER_2, drainOutbox, inbound, link, OUR, taskId } from './relay-fixtures.js';

// Deliberately no skip when the server is missing: CI must fail rather than pass untested.
const URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const shownUrl = URL.replace(/\/\/[^@/]*@/, '//***@');

let admin: pg.Client | undefined;
// Schemas are dropped behind the next test's back (the drop is slow and nothing waits on it);
// the last of them are awaited before the connection closes, and a failed drop fails the file.
const drops: Promise<unknown>[] = [];

beforeAll(async () => {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `PostgreSQL is not reachable at ${shownUrl} (${(error as Error).message}). ` +
        'Start it (trust auth, database "test") or set TEST_DATABASE_URL; these tests never skip.',
      { cause: error },
    );
  }
  admin = client;
});

afterAll(async () => {
  try {
    await Promise.all(drops);
  } finally {
    await admin?.end();
  }
});

const adminClient = (): pg.Client => {
  if (!admin) throw new Error(`PostgreSQL is not reachable at ${shownUrl}; see the first failure`);
  return admin;
};

const freshSchema = () => `store_test_${randomBytes(6).toString('hex')}`;

describeStoreContract('postgres', {
  sharesDatabase: true,
  async createHarness() {
    const client = adminClient();
    const schema = freshSchema();
    return {
      open: (options) => openPostgresStore({ url: URL, schema, logger: silentLogger, ...options }),
      recordedVersions: async () => {
        const { rows } = await client.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
        return rows.map((row) => row.version);
      },
      dispose: async () => {
        const drop = client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        drop.catch(() => undefined);
        drops.push(drop);
      },
    };
  },
});

describe('openPostgresStore', () => {
  it('fails with ERR_STORE when the server cannot be reached', async () => {
    await expect(
      openPostgresStore({ url: 'postgres://postgres@127.0.0.1:1/test', schema: freshSchema(), logger: silentLogger, connectTimeoutMs: 1_000 }),
    ).rejects.toMatchObject({ code: 'ERR_STORE', operation: 'open', dbCode: 'ECONNREFUSED' });
  });

  it('refuses a schema name that is not a plain lower-case identifier', async () => {
    await expect(openPostgresStore({ url: URL, schema: 'Robert"; DROP', logger: silentLogger })).rejects.toMatchObject({
      code: 'ERR_STORE',
      operation: 'open',
    });
  });

  it('keeps the tables of one schema apart from another', async () => {
    const [schemaA, schemaB] = [freshSchema(), freshSchema()];
    const a = await openPostgresStore({ url: URL, schema: schemaA, logger: silentLogger });
    const b = await openPostgresStore({ url: URL, schema: schemaB, logger: silentLogger });
    try {
      expect(await a.claimSubmission('k')).toBe('claimed');
      expect(await b.claimSubmission('k')).toBe('claimed');
    } finally {
      await Promise.all([a.close(), b.close()]);
      await adminClient().query(`DROP SCHEMA IF EXISTS "${schemaA}" CASCADE; DROP SCHEMA IF EXISTS "${schemaB}" CASCADE`);
    }
  });
});

describe('postgres outbox', () => {
  it('makes a second writer of a thread wait for the first to commit, so its rows appear in id order', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore({ url: URL, schema, logger: silentLogger });
    const pool = new pg.Pool({ connectionString: URL, options: `-c search_path=${schema}` });
    const first = await pool.connect();
    try {
      await first.query('BEGIN');
      // Takes the lower id, then stays uncommitted while a second instance accepts an SMS.
      await enqueuePostgres(first, threadKey(OUR, CUSTOMER), { kind: 'notice', text: 'first' }, new Date());
      const second = store.acceptInbound(inbound('in-1'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await store.claimOutbox('w1', 10, 60_000)).toEqual([]);
      await first.query('COMMIT');
      expect(await second).toBe('stored');
      const [head] = await store.claimOutbox('w1', 10, 60_000);
      expect(head?.task).toEqual({ kind: 'notice', text: 'first' });
    } finally {
      first.release();
      await pool.end();
      await store.close();
      await adminClient().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });
});

describe('postgres inbound batches', () => {
  const withStore = async (test: (store: Store, schema: string) => Promise<void>) => {
    const schema = freshSchema();
    const store = await openPostgresStore({ url: URL, schema, logger: silentLogger });
    try {
      await test(store, schema);
    } finally {
      await store.close();
      await adminClient().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  };

  it('refuses every push of a batch whose statement fails, and stores none of them', () =>
    withStore(async (store, schema) => {
      const locker = new pg.Client({ connectionString: URL });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE "${schema}".inbound IN ACCESS EXCLUSIVE MODE`);
        const answers = Promise.allSettled([inbound('b-1'), inbound('b-2', { from: CUSTOMER_2 }), inbound('b-3')].map((sms) => store.acceptInbound(sms)));
        // The batch's one statement waits for the lock; its connection is then cut.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await locker.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clicksend-teams-bridge' AND query LIKE '%unnest%' AND pid <> pg_backend_pid()`,
        );
        await locker.query('ROLLBACK');
        expect((await answers).map((a) => a.status === 'rejected' && (a.reason as { code: string }).code)).toEqual(['ERR_STORE', 'ERR_STORE', 'ERR_STORE']);
      } finally {
        await locker.end();
      }
      for (const id of ['b-1', 'b-2', 'b-3']) expect(await store.getInbound(id)).toBeUndefined();
      expect(await drainOutbox(store)).toEqual([]);
    }));

  it('refuses only the push the database will not take, and stores the others of its batch', () =>
    withStore(async (store) => {
      await store.saveLink(link(OUR));
      const answers = await Promise.allSettled([inbound('n-1'), inbound('n-2', { body: 'a NUL \u0000 byte' }), inbound('n-3'), inbound('n-1')].map((sms) => store.acceptInbound(sms)));
      expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as { code: string }).code))).toEqual(['stored', 'ERR_STORE', 'stored', 'duplicate']);
      expect((await drainOutbox(store)).map(taskId)).toEqual(['n-1', 'n-3']);
    }));
});
