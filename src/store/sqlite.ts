import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { StoreError } from './errors.js';
import { startCheckpointer, type Checkpointer } from './sqlite/checkpointer.js';
import { createSqliteEngine, type SqliteAreaMethods, type SqliteEngine } from './sqlite/engine.js';
import { migrateSqlite } from './sqlite/migrate.js';
import type { Clock, Store } from './store.js';

export interface SqliteStoreOptions {
  /** A file path (its directory is created) or `:memory:`. */
  readonly path: string;
  readonly logger: Logger;
  readonly now?: Clock;
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** How often, at most, a connection that cannot write is replaced by a new one (5 s). */
  readonly reopenEveryMs?: number;
}

// The WAL is checkpointed by a thread of its own (see checkpointer.ts); SQLite's automatic
// checkpoint on the serving connection stays only as a bound, should that thread fall behind.
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

const MEMORY = ':memory:';

// A connection keeps what it met when it opened: one that opened the file read-only (its
// permissions, its -wal or -shm file) stays read-only once they are fixed, as does one whose
// file was replaced (SQLITE_READONLY_DBMOVED) or failed (SQLITE_IOERR). A new one may not.
const REOPENABLE = /^SQLITE_(READONLY|CANTOPEN|IOERR)/;

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

/** Opens the file and applies pending migrations; throws a `StoreError`. */
const openMigrated = (options: SqliteStoreOptions, log: Logger): Database.Database => {
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
  if (options.path !== MEMORY) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  return db;
};

interface Connection {
  readonly db: Database.Database;
  readonly engine: SqliteEngine;
  readonly checkpointer: Checkpointer | undefined;
}

const isReopenable = (error: unknown): boolean => error instanceof StoreError && REOPENABLE.test(error.dbCode ?? '');

/**
 * Each method of the area modules, called on whichever connection is current, so that a
 * replaced connection's statements are never used again. A failure that a new connection may
 * not have asks for one.
 */
const forwardTo = (current: () => SqliteEngine, keys: readonly string[], onFailure: (error: unknown) => void): SqliteAreaMethods => {
  const forwarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const key of keys) {
    forwarded[key] = (...args) => {
      const method = current().methods[key as keyof SqliteAreaMethods] as (...a: unknown[]) => Promise<unknown>;
      return method(...args).catch((error: unknown) => {
        onFailure(error);
        throw error;
      });
    };
  }
  // Built key by key from the engine's own methods, which TypeScript cannot follow.
  return forwarded as unknown as SqliteAreaMethods;
};

/**
 * The default engine: one better-sqlite3 connection on a local file. better-sqlite3 is
 * synchronous, so every method is one short statement (or one transaction). A connection that
 * cannot write is replaced by a new one (at most every `reopenEveryMs`) once one can.
 */
export const openSqliteStore = async (options: SqliteStoreOptions): Promise<Store> => {
  const log = options.logger.child({ module: 'store' });
  const now = options.now ?? (() => new Date());
  const reopenEveryMs = options.reopenEveryMs ?? 5_000;
  const connect = (db: Database.Database, engine = createSqliteEngine(db, now)): Connection => ({
    db,
    engine,
    checkpointer:
      options.path === MEMORY ? undefined : startCheckpointer({ path: options.path, logger: log, busyTimeoutMs: options.busyTimeoutMs }),
  });
  let current = connect(openMigrated(options, log));
  log.info({ engine: 'sqlite', path: options.path }, 'store opened');

  let closing: Promise<void> | undefined;
  let reopening: Promise<boolean> | undefined;
  let lastReopenAt = Number.NEGATIVE_INFINITY;
  let lastReopenFailure: string | undefined;

  /** Swaps in a new connection that took a probe write; resolves false when none could. */
  const replace = async (): Promise<boolean> => {
    let db: Database.Database;
    let engine: SqliteEngine;
    try {
      db = openMigrated(options, log);
      try {
        engine = createSqliteEngine(db, now);
        await engine.probeWrite();
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      const code = error instanceof StoreError ? (error.dbCode ?? error.message) : String(error);
      // Once per cause, not at every attempt of an outage that lasts.
      if (code !== lastReopenFailure) log.warn({ engine: 'sqlite', dbCode: code }, 'the database still cannot be written; will reopen it later');
      lastReopenFailure = code;
      return false;
    }
    const old = current;
    current = connect(db, engine);
    lastReopenFailure = undefined;
    log.info({ engine: 'sqlite' }, 'store reopened: the database takes writes again');
    // Pushes still waiting for the old connection's group commit fail there (503: ClickSend
    // sends them again); nothing else holds its statements across an await.
    await old.engine.flushInbound();
    await old.checkpointer?.stop();
    old.db.close();
    return true;
  };
  const reopen = (): Promise<boolean> => {
    if (closing || options.path === MEMORY) return Promise.resolve(false);
    if (reopening) return reopening;
    if (Date.now() - lastReopenAt < reopenEveryMs) return Promise.resolve(false);
    lastReopenAt = Date.now();
    reopening = replace().finally(() => (reopening = undefined));
    return reopening;
  };

  const keys = Object.keys(current.engine.methods);
  return {
    ...forwardTo(
      () => current.engine,
      keys,
      (error) => {
        if (isReopenable(error)) void reopen();
      },
    ),
    ping: () => current.engine.ping(),
    async probeWrite() {
      try {
        await current.engine.probeWrite();
      } catch (error) {
        // The new connection took the probe write before it was swapped in.
        if (isReopenable(error) && (await reopen())) return;
        throw error;
      }
    },
    prune: () => current.engine.prune(),
    close() {
      closing ??= (async () => {
        await reopening;
        const { db, engine, checkpointer } = current;
        await engine.flushInbound();
        await checkpointer?.stop();
        db.close();
        log.info({ engine: 'sqlite' }, 'store closed');
      })();
      return closing;
    },
  };
};
