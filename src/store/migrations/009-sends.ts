import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

// Every send made from a command or a form (thread replies keep their `outbound` rows): where its
// result card is, so that receipts can update it, and each message ClickSend took for it with its
// status. `place` is the Teams conversation of the card (JSON: id, service URL, tenant, bot id).
// `request` is what the user asked to send (the form's values), for Retry failed. A thread
// reply's card shows its parts and price too: `outbound` keeps them.
export const sends: Migration = sameForBothEngines(9, 'sends', (t) => `
    CREATE TABLE sends (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      place ${t.json} NOT NULL,
      card_activity_id TEXT,
      sent_by TEXT NOT NULL,
      total_price TEXT NOT NULL,
      currency TEXT,
      retry_of TEXT,
      request ${t.json},
      created_at ${t.time} NOT NULL
    );

    CREATE TABLE send_messages (
      message_id TEXT PRIMARY KEY,
      send_id TEXT NOT NULL REFERENCES sends (id),
      position INTEGER NOT NULL,
      recipient TEXT NOT NULL,
      sender TEXT,
      status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
      status_text TEXT,
      units INTEGER,
      price TEXT,
      status_at ${t.time} NOT NULL
    );
    CREATE INDEX send_messages_send ON send_messages (send_id, position);

    ALTER TABLE outbound ADD COLUMN units INTEGER;
    ALTER TABLE outbound ADD COLUMN price TEXT;
    ALTER TABLE outbound ADD COLUMN currency TEXT;
  `);
