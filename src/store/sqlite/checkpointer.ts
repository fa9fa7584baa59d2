import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log.js';

export interface CheckpointerOptions {
  /** The database file (in WAL mode). */
  readonly path: string;
  readonly logger: Logger;
  /** How often the WAL is copied back into the database file. */
  readonly everyMs?: number;
  readonly busyTimeoutMs?: number;
}

/**
 * SQLite's automatic checkpoint runs inside whichever COMMIT makes the WAL cross 1,000 pages:
 * on the event loop, copying the pages back and fsyncing the database file, 10-50 ms during
 * which no request is answered. This thread does it instead, on its own connection: a PASSIVE
 * checkpoint (writers carry on) every `everyMs`. The next write after one that caught the last
 * frame starts the WAL again from its beginning. Under a write that never pauses it would not
 * catch up; the serving connection's own auto-checkpoint, set far higher, then bounds the WAL
 * (it finds little left to copy). A RESTART here instead made the writer sleep in SQLite's
 * busy handler (1, 2, 5, 10 ms...) until it was done: the p99 of the webhook.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
// Reported once per cause, and once when it passes again: a file that cannot be written fails
// every checkpoint until it can.
let failing;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    if (failing !== undefined) parentPort.postMessage({ recovered: true });
    failing = undefined;
  } catch (error) {
    const code = (error && error.code) || 'error';
    if (code !== failing) parentPort.postMessage({ error: String(error && error.message ? error.message : error), code: error && error.code });
    failing = code;
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

export const startCheckpointer = (options: CheckpointerOptions): Checkpointer => {
  const log = options.logger.child({ module: 'sqlite-checkpoint' });
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: options.path,
      everyMs: options.everyMs ?? 200,
      busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
    },
    // A connection and a timer: the smallest heap V8 allows is plenty.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  // The serving connection's own (larger) auto-checkpoint still bounds the WAL if this fails.
  worker.on('message', (m: { error: string; code?: string } | { recovered: true }) => {
    if ('recovered' in m) log.info('wal checkpoints pass again');
    else log.warn({ dbCode: m.code, reason: m.error }, 'wal checkpoint failed');
  });
  worker.on('error', (error) => log.error({ err: error }, 'wal checkpoint thread failed'));
  // It must not keep the process alive: the store's close stops it, a crash leaves the WAL to SQLite.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held until it is done: an unreferenced thread lets the process end mid-close.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
};
