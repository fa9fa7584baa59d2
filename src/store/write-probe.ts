import { StoreError } from './errors.js';

/** Whether the store took the write probe, and why not in an operator's words (no path, no URL). */
export type StoreCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface StoreCheckOptions {
  /** How long one outcome is reported before the store is probed again (1 s). */
  readonly cacheMs?: number;
  /** A probe that has not answered by then counts as failed (3 s). */
  readonly timeoutMs?: number;
}

const READ_ONLY = /^25006$/;
const DISK_FULL = /^(SQLITE_FULL$|53100$)/;
const SQLITE_FILE = /^SQLITE_(CANTOPEN|IOERR|PERM|AUTH)/;
// A socket error, a connection exception (class 08), a server shutting down or starting (57P0x).
const UNREACHABLE = /^(E[A-Z]+$|08|57P0)/;

/** One sentence per kind of failure, with the engine's code for the operator to look up. */
export const storeFailureReason = (error: unknown): string => {
  const code = error instanceof StoreError ? error.dbCode : undefined;
  if (code === undefined) return 'the store did not answer';
  if (code.startsWith('SQLITE_READONLY')) {
    return `the database cannot be written (${code}): make its file, and the -wal and -shm files beside it, writable by the bridge's user`;
  }
  if (READ_ONLY.test(code)) return `the database is read-only (${code}): a replica, or default_transaction_read_only is on`;
  if (DISK_FULL.test(code)) return `the database's disk is full (${code})`;
  if (SQLITE_FILE.test(code)) return `the database file cannot be opened or written (${code})`;
  if (UNREACHABLE.test(code)) return `the database could not be reached (${code})`;
  return `the database did not take the write probe (${code})`;
};

/**
 * The store's write probe as /readyz and `bridge_store_up` read it: at most one probe under way
 * and one per `cacheMs` whoever asks (load balancers and scrapers poll every few seconds each),
 * so a success is never reported for longer than that after the store stopped taking writes.
 */
export const createStoreCheck = (probeWrite: () => Promise<void>, options: StoreCheckOptions = {}): (() => Promise<StoreCheck>) => {
  const cacheMs = options.cacheMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  let last: { at: number; check: StoreCheck } | undefined;
  let probing: Promise<StoreCheck> | undefined;
  // Outlives a timed-out check: a store that hangs gets no second probe until the first ends.
  let answering: Promise<StoreCheck> | undefined;

  const probe = async (): Promise<StoreCheck> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoreCheck>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `the store did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
    });
    const answered = (answering ??= probeWrite()
      .then(
        (): StoreCheck => ({ ok: true }),
        (error: unknown): StoreCheck => ({ ok: false, reason: storeFailureReason(error) }),
      )
      .finally(() => (answering = undefined)));
    try {
      return await Promise.race([answered, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  return () => {
    if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.check);
    probing ??= probe()
      .then((check) => {
        last = { at: Date.now(), check };
        return check;
      })
      .finally(() => (probing = undefined));
    return probing;
  };
};
