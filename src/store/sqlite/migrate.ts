import type { Database } from 'better-sqlite3';
import type { Logger } from '../../log.js';
import { latestVersion, migrations as allMigrations, type Migration } from '../migrations/index.js';

/**
 * Applies the migrations the file does not have yet, each in its own transaction, and returns
 * the versions it applied. Safe when two connections open the same file at once: see below.
 */
export const migrateSqlite = (db: Database, log: Logger, migrations: readonly Migration[] = allMigrations): number[] => {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const isRecorded = db.prepare<[number], { version: number }>('SELECT version FROM schema_migrations WHERE version = ?');
  const record = db.prepare<[number, string, number]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      if (isRecorded.get(migration.version)) return false;
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, Date.now());
      return true;
    });
    // IMMEDIATE takes the write lock before the check, so a second connection starting at the
    // same moment waits (busy_timeout) and then finds the version recorded.
    if (apply.immediate()) {
      applied.push(migration.version);
      log.info({ version: migration.version, migration: migration.name }, 'migration applied');
    }
  }
  const newest = db.prepare<[], { newest: number | null }>('SELECT MAX(version) AS newest FROM schema_migrations').get()?.newest ?? 0;
  if (newest > latestVersion(migrations)) {
    log.warn({ version: newest, known: latestVersion(migrations) }, 'the database was migrated by a newer build');
  }
  return applied;
};
