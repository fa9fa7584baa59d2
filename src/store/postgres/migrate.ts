import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../../log.js';
import { latestVersion, migrations as allMigrations, pendingMigrations, type Migration } from '../migrations/index.js';

// The first key of pg_advisory_lock(int, int): "brdg" as an int4, so that our lock cannot meet
// another application's; the second is a hash of the schema name.
export const LOCK_NAMESPACE = 0x62726467;

/** Double-quotes an identifier for SQL; `schema` is checked to be a plain name before this. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

const inTransaction = async (client: PoolClient, work: () => Promise<void>): Promise<void> => {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

const applyPending = async (client: PoolClient, schema: string | undefined, log: Logger, migrations: readonly Migration[]) => {
  if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const recorded = new Set(rows.map((row) => row.version));
  const applied: number[] = [];
  for (const migration of pendingMigrations(recorded, migrations)) {
    await inTransaction(client, async () => {
      await client.query(migration.postgres);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
    applied.push(migration.version);
    log.info({ version: migration.version, migration: migration.name }, 'migration applied');
  }
  const newest = Math.max(0, ...recorded);
  if (newest > latestVersion(migrations)) {
    log.warn({ version: newest, known: latestVersion(migrations) }, 'the database was migrated by a newer build');
  }
  return applied;
};

/**
 * Creates the schema when missing and applies the migrations the database does not have yet,
 * each in its own transaction. Several bridge instances may start at once against one
 * database: a session advisory lock makes the others wait, then find every version recorded.
 */
export const migratePostgres = async (
  pool: Pool,
  schema: string | undefined,
  log: Logger,
  migrations: readonly Migration[] = allMigrations,
): Promise<number[]> => {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_NAMESPACE, schema ?? '']);
    try {
      return await applyPending(client, schema, log, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, schema ?? '']);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A failed client is destroyed rather than reused, which also frees a lock still held.
    client.release(failure);
  }
};
