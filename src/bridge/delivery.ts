import { TeamsDeliveryError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LinkRecord, LinkStore, OutboxRow, OutboxStore, RelayStore } from '../store/relay.js';
import type { ConversationTarget, TeamsGateway } from '../teams/types.js';
import { createChannelTurns } from './channel-turns.js';
import type { RelayCards } from './relay-cards.js';

/** The per-conversation budget of Teams, as `src/teams/rate-limits.ts` keeps it. */
export interface TeamsBudget {
  delayFor(conversationId: string): number;
  record(conversationId: string): void;
  penalize(conversationId: string, ms: number): void;
}

export interface DeliveryDeps {
  readonly store: RelayStore & OutboxStore & Pick<LinkStore, 'findLink'>;
  readonly gateway: TeamsGateway;
  readonly budget: TeamsBudget;
  readonly cards: RelayCards;
  readonly logger: Logger;
  readonly workerId: string;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface DeliveryOptions {
  /** Rows claimed per round (each a different thread). */
  readonly batch?: number;
  readonly leaseMs?: number;
  /** How long the loop sleeps when there is nothing to do. */
  readonly idleMs?: number;
  /** A wait for Teams' budget up to this long happens in place; a longer one puts the row back. */
  readonly maxInlineWaitMs?: number;
  /** The most SMS of one thread in one digest card. */
  readonly maxDigest?: number;
  readonly maxBackoffMs?: number;
}

const BUDGET_MARGIN_MS = 75;
/** When a row comes back after the channel was too busy to take it. */
const BUSY_RETRY_MS = 1_000;

const channelTarget = (link: LinkRecord): ConversationTarget => ({
  conversationId: link.channelId,
  serviceUrl: link.serviceUrl,
  tenantId: link.tenantId,
  botId: link.botId,
});

/**
 * The outbox worker: posts inbound SMS into their customer's thread (making the thread with
 * the first one), our replies' status cards, and their updates; in order per thread, within
 * Teams' budget, retrying what Teams refused for now and parking what it will never take. A
 * row is completed only after Teams accepted it.
 */
export const createDelivery = (deps: DeliveryDeps, options: DeliveryOptions = {}) => {
  const log = deps.logger.child({ module: 'delivery', worker: deps.workerId });
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const batch = options.batch ?? 8;
  const leaseMs = options.leaseMs ?? 60_000;
  const idleMs = options.idleMs ?? 250;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
  const maxDigest = options.maxDigest ?? 20;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;

  /** Waits for the channel's budget; false when the wait is too long to hold the rows (they go back in line). */
  const awaitBudget = async (channelId: string, ids: readonly number[]): Promise<boolean> => {
    const delay = deps.budget.delayFor(channelId);
    if (delay > maxInlineWaitMs) {
      await deps.store.retryOutbox(ids, new Date(now().getTime() + delay), 'waiting for the Teams rate limit');
      return false;
    }
    // A little past the edge of the window, so that the send is surely out of it.
    if (delay > 0) await sleep(delay + BUDGET_MARGIN_MS);
    return true;
  };

  const channelTurns = createChannelTurns(maxInlineWaitMs);

  /**
   * Makes one Teams call for `ids` (the row and any it carries) in the channel's turn and
   * budget; true once Teams accepted it, false when the rows were put back or parked.
   */
  const send = async (row: OutboxRow, ids: readonly number[], channelId: string, call: () => Promise<void>): Promise<boolean> => {
    const release = await channelTurns.take(channelId);
    if (!release) {
      await deps.store.retryOutbox(ids, new Date(now().getTime() + BUSY_RETRY_MS), 'waiting for the channel');
      return false;
    }
    try {
      if (!(await awaitBudget(channelId, ids))) return false;
      const failure = await call().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      deps.budget.record(channelId);
      if (failure) await fail(ids, row.attempts, channelId, failure.error);
      return !failure;
    } finally {
      release();
    }
  };

  const deliverInbound = async (row: OutboxRow, messageId: string): Promise<void> => {
    const first = await deps.store.getInbound(messageId);
    if (!first) {
      await deps.store.completeOutbox([row.id]);
      return;
    }
    const link = await deps.store.findLink(first.to);
    if (!link) {
      await deps.store.waitForLink([row.id]);
      log.info({ messageId }, 'no channel linked to the number yet; waiting');
      return;
    }
    const following = await deps.store.claimFollowing(row, deps.workerId, maxDigest - 1, leaseMs);
    const rest = await Promise.all(following.map((r) => (r.task.kind === 'inbound' ? deps.store.getInbound(r.task.messageId) : undefined)));
    const messages = [first, ...rest.filter((m) => m !== undefined)];
    const ids = [row.id, ...following.map((r) => r.id)];
    const card = await deps.cards.inbound(messages);
    const thread = await deps.store.getThread(link.channelId, first.to, first.from);
    const sent = await send(row, ids, link.channelId, async () => {
      if (thread) {
        await deps.gateway.post({ ...channelTarget(link), conversationId: thread.conversationId }, { card });
      } else {
        const created = await deps.gateway.createThread(channelTarget(link), { card });
        await deps.store.saveThread({ channelId: link.channelId, ourNumber: first.to, customerNumber: first.from, ...created, createdAt: now() });
      }
    });
    if (!sent) return;
    await deps.store.completeOutbox(ids);
    log.info({ messageIds: messages.map((m) => m.messageId), newThread: !thread }, 'inbound sms posted');
  };

  const threadOf = async (ourNumber: string, customerNumber: string) => {
    const link = await deps.store.findLink(ourNumber);
    const thread = link ? await deps.store.getThread(link.channelId, ourNumber, customerNumber) : undefined;
    return link && thread ? { link, target: { ...channelTarget(link), conversationId: thread.conversationId } } : undefined;
  };

  const deliverOutbound = async (row: OutboxRow, messageId: string, update: boolean): Promise<void> => {
    const message = await deps.store.getOutbound(messageId);
    const place = message ? await threadOf(message.ourNumber, message.customerNumber) : undefined;
    // Nothing to show it in (the thread or link is gone) or, for an update, no card to update.
    if (!message || !place || (update && !message.cardActivityId)) {
      await deps.store.completeOutbox([row.id]);
      return;
    }
    const card = deps.cards.outbound(message);
    const sent = await send(row, [row.id], place.link.channelId, async () => {
      if (update) await deps.gateway.update(place.target, message.cardActivityId!, { card });
      else {
        const posted = await deps.gateway.post(place.target, { card });
        if (posted.activityId) await deps.store.setOutboundCard(messageId, posted.activityId);
      }
    });
    if (sent) await deps.store.completeOutbox([row.id]);
  };

  /** Teams refused: park for good, or retry later with backoff and jitter (or when Teams says). */
  const fail = async (ids: readonly number[], attempts: number, channelId: string, error: unknown): Promise<void> => {
    const refusal = error instanceof TeamsDeliveryError ? error : undefined;
    if (refusal?.permanent) {
      await deps.store.parkOutbox(ids, refusal.message, channelId);
      log.error({ ids, status: refusal.status, channelId }, 'teams refused for good; parked');
      return;
    }
    // The cap applies to the channel's hold as well: an uncapped one would put every row of the
    // channel (this one included) back for as long as Teams said, however long that is.
    const retryAfterMs = refusal?.retryAfterMs === undefined ? undefined : Math.min(refusal.retryAfterMs, maxBackoffMs);
    if (refusal?.status === 429) deps.budget.penalize(channelId, retryAfterMs ?? 1_000);
    const base = Math.min(maxBackoffMs, 1_000 * 2 ** Math.min(attempts, 8));
    const wait = retryAfterMs ?? base * (0.5 + random() / 2);
    await deps.store.retryOutbox(ids, new Date(now().getTime() + wait), refusal?.message ?? String(error));
    log.warn({ ids, status: refusal?.status, waitMs: Math.round(wait) }, 'teams delivery failed; will retry');
  };

  const handle = async (row: OutboxRow): Promise<void> => {
    try {
      switch (row.task.kind) {
        case 'inbound':
          await deliverInbound(row, row.task.messageId);
          return;
        case 'outbound-card':
          await deliverOutbound(row, row.task.messageId, false);
          return;
        case 'outbound-update':
          await deliverOutbound(row, row.task.messageId, true);
          return;
        case 'notice':
          await deps.store.completeOutbox([row.id]);
          return;
        default: {
          const never: never = row.task;
          throw new Error(`unknown outbox task ${JSON.stringify(never)}`);
        }
      }
    } catch (error) {
      // Our own failure (store, card): the lease ends and the row is tried again.
      log.error({ err: error, id: row.id }, 'outbox row failed');
    }
  };

  /** One round: claims due rows of different threads and delivers them side by side. */
  const runOnce = async (): Promise<number> => {
    const rows = await deps.store.claimOutbox(deps.workerId, batch, leaseMs);
    await Promise.all(rows.map(handle));
    return rows.length;
  };

  let running = false;
  let loop: Promise<void> | undefined;
  // Rows being delivered. The worker claims more as soon as one is done, rather than round by
  // round: a round lasts as long as its slowest row (a Teams call that hangs, a channel waiting
  // for its budget), and every other thread and channel would wait for it.
  const inHand = new Set<Promise<void>>();
  // Set by anything that may make a row claimable (new work, a row done); read before sleeping,
  // so that what happens during a claim is not slept through.
  let stirred = false;
  let wakeUp: (() => void) | undefined;
  const stir = (): void => {
    stirred = true;
    wakeUp?.();
  };

  /** Claims due rows for the free places (up to `batch` in hand) and starts delivering them. */
  const claimMore = async (): Promise<void> => {
    const free = batch - inHand.size;
    if (free <= 0) return;
    const rows = await deps.store.claimOutbox(deps.workerId, free, leaseMs);
    for (const row of rows) {
      const delivering: Promise<void> = handle(row).finally(() => {
        inHand.delete(delivering);
        stir();
      });
      inHand.add(delivering);
    }
  };

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return {
    runOnce,
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          stirred = false;
          await claimMore().catch((error: unknown) => log.error({ err: error }, 'outbox claim failed'));
          if (!stirred && running) await idle();
          wakeUp = undefined;
        }
        await Promise.all(inHand);
      })();
    },
    /** New work arrived: skip the idle wait. */
    wake: stir,
    /** Finishes the rows in hand, then stops. */
    async stop(): Promise<void> {
      running = false;
      stir();
      await loop;
    },
  };
};
export type Delivery = ReturnType<typeof createDelivery>;
