import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

// The partial indexes cover the unfinished rows only, so done rows kept until prune cost the
// claim queries nothing: one finds a key's head (key, id), one walks due rows in order.
export const outbox: Migration = sameForBothEngines(4, 'outbox', (t) => `
    CREATE TABLE outbox (
      id ${t.serialKey},
      key TEXT NOT NULL,
      task ${t.json} NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'claimed', 'waiting', 'parked', 'done')),
      attempts INTEGER NOT NULL DEFAULT 0,
      due_at ${t.time} NOT NULL,
      claimed_by TEXT,
      lease_until ${t.time},
      last_error TEXT,
      parked_channel_id TEXT,
      parked_at ${t.time},
      created_at ${t.time} NOT NULL,
      completed_at ${t.time}
    );
    CREATE INDEX outbox_open_by_key ON outbox (key, id) WHERE status IN ('pending', 'claimed', 'waiting');
    CREATE INDEX outbox_open_by_due ON outbox (due_at, id) WHERE status IN ('pending', 'claimed');
    CREATE INDEX outbox_parked ON outbox (parked_channel_id) WHERE status = 'parked';
    CREATE INDEX outbox_done ON outbox (completed_at) WHERE status = 'done';
  `);
