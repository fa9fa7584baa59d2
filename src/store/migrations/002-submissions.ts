import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

export const submissions: Migration = sameForBothEngines(2, 'submissions', (t) => `
    CREATE TABLE submissions (
      key TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
      result ${t.json},
      created_at ${t.time} NOT NULL,
      expires_at ${t.time} NOT NULL,
      completed_at ${t.time}
    );
    CREATE INDEX submissions_expires_at ON submissions (expires_at);
  `);
