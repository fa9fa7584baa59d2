import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

// Links, threads, both directions of SMS and opt-outs: the relay's own rows. Numbers are E.164
// text; a link's number may also be `*`.
export const relay: Migration = sameForBothEngines(3, 'relay', (t) => `
    CREATE TABLE links (
      number TEXT PRIMARY KEY,
      team_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      service_url TEXT NOT NULL,
      bot_id TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at ${t.time} NOT NULL
    );
    CREATE INDEX links_team_id ON links (team_id);

    CREATE TABLE threads (
      channel_id TEXT NOT NULL,
      our_number TEXT NOT NULL,
      customer_number TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      root_message_id TEXT NOT NULL,
      created_at ${t.time} NOT NULL,
      PRIMARY KEY (channel_id, our_number, customer_number)
    );
    CREATE INDEX threads_conversation_id ON threads (conversation_id);

    CREATE TABLE inbound (
      message_id TEXT PRIMARY KEY,
      from_number TEXT NOT NULL,
      to_number TEXT NOT NULL,
      body TEXT NOT NULL,
      sent_at ${t.time} NOT NULL,
      original_message_id TEXT,
      original_body TEXT,
      custom_string TEXT,
      received_at ${t.time} NOT NULL
    );

    CREATE TABLE outbound (
      message_id TEXT PRIMARY KEY,
      our_number TEXT NOT NULL,
      customer_number TEXT NOT NULL,
      body TEXT NOT NULL,
      sent_by TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
      status_text TEXT,
      card_activity_id TEXT,
      created_at ${t.time} NOT NULL,
      status_at ${t.time} NOT NULL
    );
    CREATE INDEX outbound_thread ON outbound (our_number, customer_number);

    CREATE TABLE opt_outs (
      customer_number TEXT PRIMARY KEY,
      opted_out ${t.flag('opted_out')},
      changed_at ${t.time} NOT NULL
    );
  `);
