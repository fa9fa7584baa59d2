import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { StoreError, guard } from './errors.js';
import { createSqliteAudit } from './sqlite/audit.js';
import { startCheckpointer, type Checkpointer } from './sqlite/checkpointer.js';
import { createSqliteConversations } from './sqlite/conversations.js';
import { createSqliteCustomers } from './sqlite/customers.js';
import { createSqliteEnqueue } from './sqlite/enqueue.js';
import { createSqliteLinks } from './sqlite/links.js';
import { migrateSqlite } from './sqlite/migrate.js';
import { createSqliteOutbox } from './sqlite/outbox.js';
import { createSqliteMessages } from './sqlite/relay.js';
import { createSqliteSubmissions } from './sqlite/submissions.js';
import type { Clock, Store } from './store.js';

export interface SqliteStoreOptions {
  /** A file path (its directory is created) or `:memory:`. */
  readonly path: string;
  readonly logger: Logger;
  readonly now?: Clock;
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

// The WAL is checkpointed by a thread of its own (see checkpointer.ts); SQLite's automatic
// checkpoint on the serving connection stays only as a bound, should that thread fall behind.
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

const MEMORY = ':memory:';

const openDatabase = (path: string, busyTimeoutMs: number): Database.Database => {
  if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    // WAL lets readers run beside the one writer; NORMAL sync is durable enough with WAL
    // (a power cut may lose the last commits, never corrupt the file).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * The default engine: one better-sqlite3 connection on a local file. better-sqlite3 is
 * synchronous, so every method is one short statement (or one transaction).
 */
export const openSqliteStore = async (options: SqliteStoreOptions): Promise<Store> => {
  const log = options.logger.child({ module: 'store' });
  const now = options.now ?? (() => new Date());
  let db: Database.Database;
  try {
    db = openDatabase(options.path, options.busyTimeoutMs ?? 5_000);
  } catch (error) {
    throw new StoreError('open', error);
  }
  try {
    migrateSqlite(db, log);
  } catch (error) {
    db.close();
    throw new StoreError('migrate', error);
  }
  let checkpointer: Checkpointer | undefined;
  if (options.path !== MEMORY) {
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer({ path: options.path, logger: log, busyTimeoutMs: options.busyTimeoutMs });
  }
  const conversations = createSqliteConversations(db, now);
  const { pruneSubmissions, ...submissions } = createSqliteSubmissions(db, now);
  const { pruneOutbox, ...outbox } = createSqliteOutbox(db, now);
  const { flushInbound, ...messages } = createSqliteMessages(db, now, createSqliteEnqueue(db));
  const relay = { ...createSqliteLinks(db), ...createSqliteCustomers(db), ...messages };
  const select1 = db.prepare('SELECT 1');
  log.info({ engine: 'sqlite', path: options.path }, 'store opened');

  return {
    ...conversations,
    ...submissions,
    ...relay,
    ...outbox,
    ...createSqliteAudit(db),
    ping: guard('ping', () => {
      select1.get();
    }),
    prune: guard('prune', async () => ({ submissions: await pruneSubmissions(), outbox: await pruneOutbox() })),
    async close() {
      if (!db.open) return;
      await flushInbound();
      await checkpointer?.stop();
      checkpointer = undefined;
      if (!db.open) return;
      db.close();
      log.info({ engine: 'sqlite' }, 'store closed');
    },
  };
};
