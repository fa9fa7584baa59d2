import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { describeStoreContract } from './contract.js';
import { CUSTOMER, CUSTOMER_2, drainOutbox, inbound, link, OUR } from './relay-fixtures.js';

const tempDirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'store-test-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const readVersions = (path: string): number[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all().map((row) => row.version);
  } finally {
    db.close();
  }
};

describeStoreContract('sqlite file', {
  sharesDatabase: true,
  async createHarness() {
    // A directory that does not exist yet: the store creates it, as it does for data/.
    const path = join(await tempDir(), 'data', 'bridge.sqlite');
    return {
      open: (options) => openSqliteStore({ path, logger: silentLogger, ...options }),
      recordedVersions: async () => readVersions(path),
      dispose: async () => undefined,
    };
  },
});

describeStoreContract('sqlite :memory:', {
  sharesDatabase: false,
  createHarness: async () => ({
    open: (options) => openSqliteStore({ path: ':memory:', logger: silentLogger, ...options }),
    dispose: async () => undefined,
  }),
});

describe('openSqliteStore', () => {
  it('puts the file in WAL mode', async () => {
    const path = join(await tempDir(), 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });

  it('fails with ERR_STORE when the file cannot be created', async () => {
    const blocker = join(await tempDir(), 'not-a-directory');
    await writeFile(blocker, '');
    await expect(openSqliteStore({ path: join(blocker, 'bridge.sqlite'), logger: silentLogger })).rejects.toMatchObject({
      code: 'ERR_STORE',
      operation: 'open',
    });
  });

  it('fails with ERR_STORE when the file is not a database', async () => {
    const path = join(await tempDir(), 'garbage.sqlite');
    await writeFile(path, 'this is not a database file, just some text that is long enough to be read as a header');
    await expect(openSqliteStore({ path, logger: silentLogger })).rejects.toMatchObject({ code: 'ERR_STORE', dbCode: 'SQLITE_NOTADB' });
  });

  it('refuses every push of a group whose transaction fails, and stores none of them', async () => {
    const path = join(await tempDir(), 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger, busyTimeoutMs: 50 });
    // Another connection holds the write lock for longer than the store waits for it.
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    const answers = await Promise.allSettled([inbound('g-1'), inbound('g-2', { from: CUSTOMER_2 }), inbound('g-3')].map((sms) => store.acceptInbound(sms)));
    other.prepare('ROLLBACK').run();
    other.close();
    expect(answers.map((a) => a.status === 'rejected' && (a.reason as { code: string }).code)).toEqual(['ERR_STORE', 'ERR_STORE', 'ERR_STORE']);
    expect(await store.getInbound('g-1')).toBeUndefined();
    expect(await store.getInbound('g-2')).toBeUndefined();
    expect(await drainOutbox(store)).toEqual([]);
    // ClickSend's retry then stores them.
    expect(await Promise.all([store.acceptInbound(inbound('g-1')), store.acceptInbound(inbound('g-1'))])).toEqual(['stored', 'duplicate']);
    await store.close();
  });

  it('answers each push of a group only once the group is committed, in order per thread', async () => {
    const path = join(await tempDir(), 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger });
    await store.saveLink(link(OUR));
    const reader = new Database(path, { readonly: true });
    const count = reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM inbound');
    const ids = Array.from({ length: 30 }, (_, i) => `o-${i}`);
    const seen = await Promise.all(ids.map((id, i) => store.acceptInbound(inbound(id, { from: i % 2 ? CUSTOMER : CUSTOMER_2 })).then(() => count.get()!.n)));
    // Another connection sees every row of the group by the time any push of it is answered.
    expect(seen).toEqual(ids.map(() => 30));
    reader.close();
    const rows = await drainOutbox(store);
    expect(rows.map((r) => (r.task.kind === 'inbound' ? r.task.messageId : ''))).toEqual(ids);
    await store.close();
  });

  it('commits pushes still waiting for their group when closed', async () => {
    const path = join(await tempDir(), 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger });
    const pending = store.acceptInbound(inbound('late-1'));
    await store.close();
    expect(await pending).toBe('stored');
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT message_id FROM inbound').all()).toEqual([{ message_id: 'late-1' }]);
    db.close();
  });

  it('keeps the WAL short by checkpointing it off the serving connection', async () => {
    const path = join(await tempDir(), 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger });
    for (let round = 0; round < 40; round += 1) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.acceptInbound(inbound(`w-${round}-${i}`, { from: i % 2 ? CUSTOMER : CUSTOMER_2 }))));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A read-only connection cannot copy frames itself (it fails with SQLITE_IOERR if any are
    // left): it answers only when the checkpointer has copied everything already.
    const db = new Database(path, { readonly: true });
    const [state] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    db.close();
    expect(state!.checkpointed).toBe(state!.log);
    await store.close();
  });
});
