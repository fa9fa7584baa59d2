import type Database from 'better-sqlite3';
import { guard } from '../errors.js';
import type { Clock, PruneResult, Store } from '../store.js';
import { createSqliteAudit } from './audit.js';
import { createSqliteConversations } from './conversations.js';
import { createSqliteCustomers } from './customers.js';
import { createSqliteEnqueue } from './enqueue.js';
import { createSqliteLinks } from './links.js';
import { createSqliteOutbox } from './outbox.js';
import { createSqliteMessages } from './relay.js';
import { createSqliteSends } from './sends.js';
import { createSqliteSubmissions } from './submissions.js';

/** What each area module gives the store: every method but the connection's own. */
export type SqliteAreaMethods = Omit<Store, 'ping' | 'probeWrite' | 'prune' | 'close' | 'sharedRates'>;

/** Every statement of the store, prepared on one connection. */
export interface SqliteEngine {
  readonly methods: SqliteAreaMethods;
  ping(): Promise<void>;
  probeWrite(): Promise<void>;
  prune(): Promise<PruneResult>;
  /** Commits the inbound SMS still waiting for their group's transaction. */
  flushInbound(): Promise<void>;
}

/**
 * Builds the area modules on `db`. A connection's statements are bound to it, so the store
 * builds them again when it replaces the connection (see sqlite.ts).
 */
export const createSqliteEngine = (db: Database.Database, now: Clock): SqliteEngine => {
  const { pruneSubmissions, ...submissions } = createSqliteSubmissions(db, now);
  const { pruneOutbox, ...outbox } = createSqliteOutbox(db, now);
  const { flushInbound, ...messages } = createSqliteMessages(db, now, createSqliteEnqueue(db));
  const select1 = db.prepare('SELECT 1');
  // A write, not a read nor an empty BEGIN IMMEDIATE: on a file it opened read-only SQLite takes
  // the write lock without complaint and fails only when it writes a page.
  const probe = db.prepare<[number]>(
    'INSERT INTO store_probe (id, written_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at',
  );
  return {
    methods: {
      ...createSqliteConversations(db, now),
      ...submissions,
      ...createSqliteLinks(db),
      ...createSqliteCustomers(db),
      ...messages,
      ...outbox,
      ...createSqliteAudit(db),
      ...createSqliteSends(db, now),
    },
    ping: guard('ping', () => {
      select1.get();
    }),
    probeWrite: guard('probeWrite', () => {
      probe.run(now().getTime());
    }),
    prune: guard('prune', async () => ({ submissions: await pruneSubmissions(), outbox: await pruneOutbox() })),
    flushInbound,
  };
};
