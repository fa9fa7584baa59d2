import { conversations } from './001-conversations.js';
import { submissions } from './002-submissions.js';
import { relay } from './003-relay.js';
import { outbox } from './004-outbox.js';
import { audit } from './005-audit.js';
import { outboxAttempts } from './006-outbox-attempts.js';
import { rateBudget } from './007-rate-budget.js';
import { storeProbe } from './008-store-probe.js';
import { sends } from './009-sends.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in the order they are applied. Add a new one at the end. */
export const migrations: readonly Migration[] = [conversations, submissions, relay, outbox, audit, outboxAttempts, rateBudget, storeProbe, sends];

/** The migrations a database that has `applied` still needs, in order. */
export const pendingMigrations = (applied: ReadonlySet<number>, all: readonly Migration[] = migrations): Migration[] =>
  all.filter((m) => !applied.has(m.version));

/** The newest version this build knows; a database recording a higher one was migrated by a newer build. */
export const latestVersion = (all: readonly Migration[] = migrations): number => Math.max(0, ...all.map((m) => m.version));
