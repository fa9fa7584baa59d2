import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

// One row that the write probe of /readyz and `bridge_store_up` writes again and again: a read
// succeeds on a read-only file or a replica after a failover, so only a committed write proves
// that the store can take a push. Instances sharing a database share the row.
export const storeProbe: Migration = sameForBothEngines(8, 'store-probe', (t) => `
    CREATE TABLE store_probe (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      written_at ${t.time} NOT NULL
    );
  `);
