/**
 * The bridge's persistence, one interface over two engines (SQLite by default, PostgreSQL
 * when several bridge instances share one database). Every method is async, even on the
 * synchronous SQLite engine, so callers never depend on the engine. Failures reject with a
 * `StoreError` (`ERR_STORE`); a change to a row that does not exist rejects with a
 * `StoreNotFoundError` (`ERR_STORE_NOT_FOUND`).
 *
 * Each area is its own interface, implemented per engine in `sqlite/<area>.ts` and
 * `postgres/<area>.ts`, with its tables in a numbered migration; `Store` joins them.
 */

import type { AuditStore } from './audit.js';
import type { SharedRateStore } from './rate-budget.js';
import type { LinkStore, OutboxStore, RelayStore } from './relay.js';
import type { SendStore } from './sends.js';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

/** Where the bot can post: a personal chat, a team channel or a group chat. */
export interface ConversationRecord {
  readonly conversationId: string;
  readonly kind: ConversationKind;
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly teamId?: string | undefined;
  readonly channelId?: string | undefined;
  readonly botId: string;
  readonly userId?: string | undefined;
  /** Set once by `markWelcomed`; saving a record without it keeps the stored mark. */
  readonly welcomedAt?: Date | undefined;
  /** The whole Bot Framework ConversationReference, as JSON; parse it with a schema when read. */
  readonly reference: unknown;
}

export interface ListConversationsFilter {
  readonly teamId?: string | undefined;
}

export interface ConversationStore {
  /** Inserts or replaces the conversation with this `conversationId`. */
  saveConversation(record: ConversationRecord): Promise<void>;
  getConversation(conversationId: string): Promise<ConversationRecord | undefined>;
  /** Ordered by conversation id. */
  listConversations(filter?: ListConversationsFilter): Promise<ConversationRecord[]>;
  /**
   * True for exactly one call per conversation, across concurrent callers and processes, so
   * that the welcome card is posted once. The conversation must have been saved.
   */
  markWelcomed(conversationId: string): Promise<boolean>;
}

export type ClaimResult = 'claimed' | 'duplicate';

export interface SubmissionState {
  /** `pending` while the first claimer is still working on it. */
  readonly state: 'pending' | 'done';
  /** What `completeSubmission` stored, e.g. the result card; absent while pending. */
  readonly result?: unknown;
}

export const DEFAULT_SUBMISSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Idempotency of card submissions: one click handled once, however often Teams redelivers it. */
export interface SubmissionStore {
  /**
   * Exactly one of any number of concurrent claims of `key` (across processes) is `claimed`;
   * the key is remembered for `ttlMs` (7 days by default), after which it can be claimed again.
   */
  claimSubmission(key: string, ttlMs?: number): Promise<ClaimResult>;
  /** Records the outcome of a claimed submission, for duplicates to be answered with. */
  completeSubmission(key: string, result: unknown): Promise<void>;
  /**
   * Forgets a claim that is still pending, so that the user can retry after a failure that
   * did nothing (e.g. ClickSend refused the message). Does nothing to a completed one.
   */
  releaseSubmission(key: string): Promise<void>;
  /** The submission's state, or `undefined` when it was never claimed or has expired. */
  getSubmission(key: string): Promise<SubmissionState | undefined>;
}

/** How many expired rows `prune` deleted, per table. */
export interface PruneResult {
  readonly submissions: number;
  /** Done outbox rows older than `DONE_OUTBOX_RETENTION_MS`. */
  readonly outbox: number;
}

export interface Store extends ConversationStore, SubmissionStore, LinkStore, RelayStore, OutboxStore, AuditStore, SendStore {
  /** Resolves when the database answers a query; rejects with a `StoreError` otherwise. */
  ping(): Promise<void>;
  /**
   * Writes and commits the one probe row: resolves only when the store can take writes, and
   * rejects with a `StoreError` (its `dbCode` says why) on a read-only file or server, a full
   * disk, a store that does not answer (for /readyz and `bridge_store_up`). The SQLite engine
   * reopens its file first when the failure is one a new connection may not have.
   */
  probeWrite(): Promise<void>;
  /** Deletes expired rows; the composition root calls it on a timer. */
  prune(): Promise<PruneResult>;
  /** Frees the connection(s); later calls reject. Safe to call twice. */
  close(): Promise<void>;
  /**
   * The rate budget every instance on this database shares; only on an engine several instances
   * share (PostgreSQL). Without it, one instance keeps its budget in memory.
   */
  readonly sharedRates?: SharedRateStore;
}

/** Every engine reads the time from here, so that tests can move it. */
export type Clock = () => Date;
