import { z } from 'zod';
import { ANY_NUMBER, type OutboxRow, type OutboxStatus, type OutboxTask } from './relay.js';

/** A task as the outbox column holds it; read back through this, never cast. */
export const OutboxTaskSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inbound'), messageId: z.string() }),
  z.object({ kind: z.literal('outbound-card'), messageId: z.string() }),
  z.object({ kind: z.literal('outbound-update'), messageId: z.string() }),
  z.object({ kind: z.literal('send-update'), sendId: z.string() }),
  z.object({ kind: z.literal('notice'), text: z.string() }),
]) satisfies z.ZodType<OutboxTask>;

/**
 * The status of a new outbox row, as SQL both engines run (`key` an SQL expression): `waiting`
 * when its thread already waits for a link (a row for a thread that waits waits with it, see
 * waitForLink), else `pending`. The repeated `status IN (...)` is the open rows' index condition.
 */
export const statusForNewRow = (key: string): string => `CASE WHEN EXISTS (SELECT 1 FROM outbox w
    WHERE w.key = ${key} AND w.status IN ('pending', 'claimed', 'waiting') AND w.status = 'waiting') THEN 'waiting' ELSE 'pending' END`;

/**
 * The status of a new row for an inbound SMS to our number (`number`, an SQL expression): also
 * `waiting` when no channel is linked to the number (nor to every number), so that no worker
 * claims a text it has nowhere to post; linking releases it (`releaseWaiting`, or the sweep of
 * `releaseLinkedWaiting`). Two lookups of the key rather than `number IN (...)`, for which SQLite
 * builds a table per row.
 */
export const statusForNewInbound = (key: string, number: string): string => `CASE WHEN NOT EXISTS (SELECT 1 FROM links WHERE number = ${number})
    AND NOT EXISTS (SELECT 1 FROM links WHERE number = '${ANY_NUMBER}') THEN 'waiting' ELSE ${statusForNewRow(key)} END`;

/** The columns both engines select for an `OutboxRow`, as each driver returns them. */
export interface OutboxRowColumns {
  readonly id: number | string;
  readonly key: string;
  /** JSON text (SQLite) or the parsed JSONB value (PostgreSQL). */
  readonly task: unknown;
  readonly attempts: number;
  readonly created_at: number | Date;
  /** 0/1 (SQLite) or a boolean (PostgreSQL). */
  readonly maybe_posted: number | boolean;
}

export const OUTBOX_ROW_COLUMNS = 'id, key, task, attempts, created_at, (in_flight_since IS NOT NULL) AS maybe_posted';

export const toOutboxRow = (row: OutboxRowColumns): OutboxRow => ({
  // pg returns BIGINT as a string; ids stay far below 2^53.
  id: Number(row.id),
  key: row.key,
  task: OutboxTaskSchema.parse(typeof row.task === 'string' ? JSON.parse(row.task) : row.task),
  attempts: row.attempts,
  createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  maybePosted: Boolean(row.maybe_posted),
});

/** Claimed rows are handed out in id order, whatever order the UPDATE returned them in. */
export const byId = (a: OutboxRow, b: OutboxRow): number => a.id - b.id;

/** A claim's size and lease come from the worker's options; a bad one is a caller's bug. */
export const verifyClaim = (limit: number, leaseMs: number): void => {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number, got ${limit}`);
  if (!Number.isSafeInteger(leaseMs) || leaseMs <= 0) throw new RangeError(`leaseMs must be a positive integer, got ${leaseMs}`);
};

/** A row behind a claimed head, as claimFollowing reads it (times as Date or epoch ms). */
export interface FollowerColumns extends OutboxRowColumns {
  readonly status: OutboxStatus;
  readonly due_at: number | Date;
  readonly lease_until: number | Date | null;
}

const ms = (time: number | Date | null): number => (time instanceof Date ? time.getTime() : (time ?? 0));

/**
 * The ids of the run of rows, in id order, that claimFollowing may take: free (pending, or
 * leased by a worker whose lease has ended), due, and inbound; the first other row ends it.
 */
export const inboundRun = (rows: readonly FollowerColumns[], now: number): number[] => {
  const run: number[] = [];
  for (const row of rows) {
    const free = row.status === 'pending' || (row.status === 'claimed' && ms(row.lease_until) <= now);
    if (!free || ms(row.due_at) > now || toOutboxRow(row).task.kind !== 'inbound') break;
    run.push(Number(row.id));
  }
  return run;
};
