import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open.js';

describe('openStore', () => {
  it('opens the SQLite engine for a sqlite: DATABASE_URL', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' }, { logger: silentLogger });
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });

  it('opens the PostgreSQL engine for a postgres:// DATABASE_URL', async () => {
    // Port 1 refuses at once: the error shows the PostgreSQL engine tried to connect.
    await expect(openStore({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' }, { logger: silentLogger })).rejects.toMatchObject({
      code: 'ERR_STORE',
      dbCode: 'ECONNREFUSED',
    });
  });
});
