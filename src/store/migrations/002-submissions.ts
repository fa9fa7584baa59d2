import type { Migration } from './migration.js';

export const submissions: Migration = {
  version: 2,
  name: 'submissions',
  sqlite: `
    CREATE TABLE submissions (
      key TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
      result TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      completed_at INTEGER
    );
    CREATE INDEX submissions_expires_at ON submissions (expires_at);
  `,
  postgres: `
    CREATE TABLE submissions (
      key TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
      result JSONB,
      created_at TIMESTAMPTZ NOT NULL,
      expires_at TIMESTAMPTZ NOT NULL,
      completed_at TIMESTAMPTZ
    );
    CREATE INDEX submissions_expires_at ON submissions (expires_at);
  `,
};
