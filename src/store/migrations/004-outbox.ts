import type { Migration } from './migration.js';

// The partial indexes cover the unfinished rows only, so done rows kept until prune cost the
// claim queries nothing: one finds a key's head (key, id), one walks due rows in order.
export const outbox: Migration = {
  version: 4,
  name: 'outbox',
  sqlite: `
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL,
      task TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'waiting', 'parked', 'done')),
      attempts INTEGER NOT NULL DEFAULT 0,
      due_at INTEGER NOT NULL,
      claimed_by TEXT,
      lease_until INTEGER,
      last_error TEXT,
      parked_channel_id TEXT,
      parked_at INTEGER,
      created_at INTEGER NOT NULL,
      completed_at INTEGER
    );
    CREATE INDEX outbox_open_by_key ON outbox (key, id) WHERE status IN ('pending', 'claimed', 'waiting');
    CREATE INDEX outbox_open_by_due ON outbox (due_at, id) WHERE status IN ('pending', 'claimed');
    CREATE INDEX outbox_parked ON outbox (parked_channel_id) WHERE status = 'parked';
    CREATE INDEX outbox_done ON outbox (completed_at) WHERE status = 'done';
  `,
  postgres: `
    CREATE TABLE outbox (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key TEXT NOT NULL,
      task JSONB NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'waiting', 'parked', 'done')),
      attempts INTEGER NOT NULL DEFAULT 0,
      due_at TIMESTAMPTZ NOT NULL,
      claimed_by TEXT,
      lease_until TIMESTAMPTZ,
      last_error TEXT,
      parked_channel_id TEXT,
      parked_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL,
      completed_at TIMESTAMPTZ
    );
    CREATE INDEX outbox_open_by_key ON outbox (key, id) WHERE status IN ('pending', 'claimed', 'waiting');
    CREATE INDEX outbox_open_by_due ON outbox (due_at, id) WHERE status IN ('pending', 'claimed');
    CREATE INDEX outbox_parked ON outbox (parked_channel_id) WHERE status = 'parked';
    CREATE INDEX outbox_done ON outbox (completed_at) WHERE status = 'done';
  `,
};
