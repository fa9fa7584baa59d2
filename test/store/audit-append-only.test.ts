import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { dropSchema, TEST_DATABASE_URL, uniqueName } from '../helpers/postgres.js';
import { auditEntry } from '../helpers/audit.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

describe('the audit log is append-only in the database itself', () => {
  it('refuses UPDATE and DELETE of audit rows on SQLite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'bridge.sqlite');
    const store = await openSqliteStore({ path, logger: silentLogger });
    await store.appendAudit(auditEntry());
    await store.close();
    const db = new Database(path);
    try {
      expect(() => db.prepare(`UPDATE audit_log SET price = '0'`).run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT price FROM audit_log').all()).toEqual([{ price: '0.1540' }]);
    } finally {
      db.close();
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows on PostgreSQL', async () => {
    const schema = uniqueName('audit');
    cleanups.push(() => dropSchema(schema));
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, logger: silentLogger });
    await store.appendAudit(auditEntry());
    await store.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${schema}"`);
      await expect(client.query(`UPDATE audit_log SET price = '0'`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect((await client.query('SELECT price FROM audit_log')).rows).toEqual([{ price: '0.1540' }]);
    } finally {
      await client.end();
    }
  });
});
