import { BridgeError, isBridgeError } from '../errors.js';

/**
 * The database failed or could not be reached. `operation` names the store method,
 * `dbCode` the engine's own code (`SQLITE_BUSY`, a PostgreSQL SQLSTATE such as `57P01`, or a
 * socket error such as `ECONNREFUSED`) for operators; callers switch on `code` only.
 */
export class StoreError extends BridgeError {
  readonly code = 'ERR_STORE' as const;
  readonly operation: string;
  readonly dbCode: string | undefined;

  constructor(operation: string, cause: unknown) {
    const dbCode = codeOf(cause);
    super(`Store operation ${operation} failed${dbCode ? ` (${dbCode})` : ''}: ${messageOf(cause)}`, { cause });
    this.operation = operation;
    this.dbCode = dbCode;
  }
}

export type StoreEntity = 'conversation' | 'submission' | 'outbound';

/** A method that changes a row was given an id the store does not hold. A caller's bug, not an outage. */
export class StoreNotFoundError extends BridgeError {
  readonly code = 'ERR_STORE_NOT_FOUND' as const;
  readonly entity: StoreEntity;
  readonly id: string;

  constructor(entity: StoreEntity, id: string) {
    super(`No ${entity} with id ${id} in the store`);
    this.entity = entity;
    this.id = id;
  }
}

const codeOf = (cause: unknown): string | undefined => {
  const code: unknown = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
};

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

/**
 * Wraps a store method so that whatever the driver throws (synchronously, as better-sqlite3
 * does, or as a rejection, as pg does) reaches the caller as a `StoreError`; our own coded
 * errors pass through unchanged.
 */
export const guard =
  <A extends unknown[], R>(operation: string, fn: (...args: A) => R | Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (error) {
      throw isBridgeError(error) ? error : new StoreError(operation, error);
    }
  };
