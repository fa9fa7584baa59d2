import type { Migration } from './migration.js';

// SQLite keeps times as integer milliseconds since the epoch and JSON as text.
export const conversations: Migration = {
  version: 1,
  name: 'conversations',
  sqlite: `
    CREATE TABLE conversations (
      conversation_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('personal', 'channel', 'groupChat')),
      tenant_id TEXT NOT NULL,
      service_url TEXT NOT NULL,
      team_id TEXT,
      channel_id TEXT,
      bot_id TEXT NOT NULL,
      user_id TEXT,
      welcomed_at INTEGER,
      reference TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX conversations_team_id ON conversations (team_id);
  `,
  postgres: `
    CREATE TABLE conversations (
      conversation_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('personal', 'channel', 'groupChat')),
      tenant_id TEXT NOT NULL,
      service_url TEXT NOT NULL,
      team_id TEXT,
      channel_id TEXT,
      bot_id TEXT NOT NULL,
      user_id TEXT,
      welcomed_at TIMESTAMPTZ,
      reference JSONB NOT NULL,
      created_at TIMESTAMPTZ NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX conversations_team_id ON conversations (team_id);
  `,
};
