import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

export const conversations: Migration = sameForBothEngines(1, 'conversations', (t) => `
    CREATE TABLE conversations (
      conversation_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('personal', 'channel', 'groupChat')),
      tenant_id TEXT NOT NULL,
      service_url TEXT NOT NULL,
      team_id TEXT,
      channel_id TEXT,
      bot_id TEXT NOT NULL,
      user_id TEXT,
      welcomed_at ${t.time},
      reference ${t.json} NOT NULL,
      created_at ${t.time} NOT NULL,
      updated_at ${t.time} NOT NULL
    );
    CREATE INDEX conversations_team_id ON conversations (team_id);
  `);
