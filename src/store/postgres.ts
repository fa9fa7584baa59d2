import pg from 'pg';
import type { Logger } from '../log.js';
import { StoreError, guard } from './errors.js';
import { createPostgresAudit } from './postgres/audit.js';
import { createPostgresSends } from './postgres/sends.js';
import { createPostgresConversations } from './postgres/conversations.js';
import { createPostgresCustomers } from './postgres/customers.js';
import { createPostgresLinks } from './postgres/links.js';
import { migratePostgres } from './postgres/migrate.js';
import { createPostgresOutbox } from './postgres/outbox.js';
import { createPostgresRateBudget } from './postgres/rate-budget.js';
import { createPostgresMessages } from './postgres/relay.js';
import { createPostgresSubmissions } from './postgres/submissions.js';
import type { Clock, Store } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; never logged (it may hold a password). */
  readonly url: string;
  /** A schema of its own (created when missing), e.g. one per test run; the server's default otherwise. */
  readonly schema?: string | undefined;
  readonly logger: Logger;
  readonly now?: Clock;
  /** Pool size; each bridge instance holds at most this many connections. */
  readonly maxConnections?: number;
  /** How long to wait for a connection before a call fails (and /readyz says not ready). */
  readonly connectTimeoutMs?: number;
}

const PROBE_TIMEOUT = '2s';

// Lower case only: search_path folds unquoted names to lower case, CREATE SCHEMA quotes them.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The engine for several bridge instances sharing one database. Every row-level guarantee
 * (one welcome, one claim, one stored SMS, one outbox claim per thread) comes from a single
 * atomic statement or one transaction with row or advisory locks, so it holds across processes.
 */
export const openPostgresStore = async (options: PostgresStoreOptions): Promise<Store> => {
  const log = options.logger.child({ module: 'store' });
  const now = options.now ?? (() => new Date());
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('open', new RangeError(`schema must match ${SCHEMA_NAME}, got ${JSON.stringify(schema)}`));
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: 'clicksend-teams-bridge',
    // A startup parameter rather than a SET after connecting, so no query can run before it.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error: Error & { code?: string }) => {
    log.warn({ dbCode: error.code, reason: error.message }, 'an idle database connection failed');
  });
  // The pool listens to its idle connections only: one checked out (a transaction between two
  // statements, a migration) that the server ends (failover, pg_terminate_backend, 57P01) emits
  // 'error' with nobody listening, which would crash the process. Its next statement fails
  // instead, and the pool drops it when it comes back.
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      log.warn({ dbCode: error.code, reason: error.message }, 'a database connection in use failed');
    });
  });
  try {
    await migratePostgres(pool, schema, log);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError('open', error);
  }
  const conversations = createPostgresConversations(pool, now);
  const { pruneSubmissions, ...submissions } = createPostgresSubmissions(pool, now);
  const { pruneOutbox, flushOutbox, ...outbox } = createPostgresOutbox(pool, now);
  const { flushInbound, ...messages } = createPostgresMessages(pool, now);
  const relay = { ...createPostgresLinks(pool), ...createPostgresCustomers(pool), ...messages };
  log.info({ engine: 'postgres', schema: schema ?? null }, 'store opened');
  let closed = false;

  return {
    ...conversations,
    ...submissions,
    ...relay,
    ...outbox,
    ...createPostgresAudit(pool),
    ...createPostgresSends(pool, now),
    sharedRates: createPostgresRateBudget(pool),
    ping: guard('ping', async () => {
      await pool.query('SELECT 1');
    }),
    // One round trip, one implicit transaction: a read-only server (a replica after a failover,
    // default_transaction_read_only) refuses it with 25006 where a read would pass, and the
    // timeout keeps a row lock or a stalled server from holding /readyz.
    probeWrite: guard('probeWrite', async () => {
      await pool.query(`SET LOCAL statement_timeout = '${PROBE_TIMEOUT}';
        INSERT INTO store_probe (id, written_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`);
    }),
    prune: guard('prune', async () => ({ submissions: await pruneSubmissions(), outbox: await pruneOutbox() })),
    close: guard('close', async () => {
      if (closed) return;
      closed = true;
      await Promise.all([flushInbound(), flushOutbox()]);
      await pool.end();
      log.info({ engine: 'postgres' }, 'store closed');
    }),
  };
};
