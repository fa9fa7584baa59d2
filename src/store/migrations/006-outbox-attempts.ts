import { sameForBothEngines } from './column-types.js';
import type { Migration } from './migration.js';

// `queued_at`: when the row last joined the line (set again when a link releases a waiting or
// parked row; NULL means `created_at`), so that /readyz measures how long a post has waited
// rather than when it is next due. `in_flight_since`: when a Teams call for the row started
// whose outcome is not known to have failed; a row taken over with it set may be in Teams already.
// A parked row holds up the rows of its thread behind it (their order is kept until a link lets it
// out): the claims look parked rows up by key.
export const outboxAttempts: Migration = sameForBothEngines(6, 'outbox-attempts', (t) => `
    ALTER TABLE outbox ADD COLUMN queued_at ${t.time};
    ALTER TABLE outbox ADD COLUMN in_flight_since ${t.time};
    CREATE INDEX outbox_parked_by_key ON outbox (key, id) WHERE status = 'parked';
  `);
