import type { Migration } from './migration.js';

// The rate budget that instances sharing PostgreSQL share (store/rate-budget.ts): one row per
// event, `counts_at` in the future while it is under way (so that it counts as now, and as made
// once it is stale), and holds per key ('' for every key). SQLite has one instance, whose budget
// is kept in memory: nothing to create.
export const rateBudget: Migration = {
  version: 7,
  name: 'rate-budget',
  sqlite: '-- one instance per SQLite file: its rate budget is kept in memory',
  postgres: `
    CREATE TABLE rate_events (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key TEXT NOT NULL,
      counts_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX rate_events_by_key ON rate_events (key, counts_at);
    CREATE INDEX rate_events_by_time ON rate_events (counts_at);
    CREATE TABLE rate_holds (
      key TEXT PRIMARY KEY,
      until TIMESTAMPTZ NOT NULL
    );
  `,
};
