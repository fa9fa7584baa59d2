import type { Migration } from './migration.js';

/**
 * The column types in which the engines differ; the rest of a table's DDL reads the same in
 * both. SQLite keeps times as integer milliseconds since the epoch and JSON as text, and has
 * neither BOOLEAN nor identity columns. Released migrations use these, so changing one changes
 * the schema of new databases only: add a migration instead.
 */
export interface ColumnTypes {
  readonly time: string;
  readonly json: string;
  /** A NOT NULL true/false column; SQLite checks that its INTEGER is 0 or 1. */
  readonly flag: (column: string) => string;
  /** An integer primary key the database assigns in ascending order. */
  readonly serialKey: string;
}

const sqliteTypes: ColumnTypes = {
  time: 'INTEGER',
  json: 'TEXT',
  flag: (column) => `INTEGER NOT NULL CHECK (${column} IN (0, 1))`,
  serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

const postgresTypes: ColumnTypes = {
  time: 'TIMESTAMPTZ',
  json: 'JSONB',
  flag: () => 'BOOLEAN NOT NULL',
  serialKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
};

/** A migration whose SQL differs between the engines in column types only, written once. */
export const sameForBothEngines = (version: number, name: string, sql: (types: ColumnTypes) => string): Migration => ({
  version,
  name,
  sqlite: sql(sqliteTypes),
  postgres: sql(postgresTypes),
});
