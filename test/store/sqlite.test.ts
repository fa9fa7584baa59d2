import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { describeStoreContract } from './contract.js';

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
});
