import type { Logger } from '../log.js';
import type { LinkRecord, LinkStore, OutboxRow, OutboxStore, RelayStore } from '../store/relay.js';
import type { SendStore } from '../store/sends.js';
import type { ConversationTarget, TeamsGateway } from '../teams/types.js';
import { createOutboxWorker } from './outbox-worker.js';
import type { RelayCards } from './relay-cards.js';
import type { TeamsBudget } from './teams-budget.js';
import { createTeamsSends } from './teams-sends.js';


export interface DeliveryDeps {
  readonly store: RelayStore & OutboxStore & Pick<LinkStore, 'findLink'> & Pick<SendStore, 'getSend'>;
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
  /** How long a claim lasts unless renewed; the worker renews its rows' leases every third of it. */
  readonly leaseMs?: number;
  /** How long the loop sleeps when there is nothing to do. */
  readonly idleMs?: number;
  /** The least time between two claims (a burst of pushes is claimed once per gap, not once per push). */
  readonly minClaimGapMs?: number;
  /** A wait for Teams' budget up to this long happens in place; a longer one puts the row back. */
  readonly maxInlineWaitMs?: number;
  /** The most SMS of one thread in one digest card. */
  readonly maxDigest?: number;
  readonly maxBackoffMs?: number;
  /** How often rows that wait for a link although their number has one are put back in line. */
  readonly linkSweepMs?: number;
  /** How far back the sweep looks for links (the gap it closes lasts as long as one store statement). */
  readonly linkSweepLookbackMs?: number;
}

/** The most text (characters of the customers' messages) in one digest card. */
const MAX_DIGEST_CHARS = 12_000;

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
  const leaseMs = options.leaseMs ?? 30_000;
  const idleMs = options.idleMs ?? 250;
  const minClaimGapMs = options.minClaimGapMs ?? 25;
  const maxInlineWaitMs = options.maxInlineWaitMs ?? 2_000;
  const maxDigest = options.maxDigest ?? 20;
  const maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
  const linkSweepMs = options.linkSweepMs ?? 30_000;
  const linkSweepLookbackMs = options.linkSweepLookbackMs ?? 10 * 60_000;

  const sends = createTeamsSends(
    { store: deps.store, worker: deps.workerId, budget: deps.budget, log, now, sleep, random },
    { maxInlineWaitMs, maxBackoffMs },
  );

  // Every row this worker is delivering (heads and the rows of their digests): their leases are
  // renewed while they are in hand, however long Teams takes, so nobody else takes them over.
  const held = new Set<number>();
  const hold = (ids: readonly number[]): void => ids.forEach((id) => held.add(id));
  let renewing: NodeJS.Timeout | undefined;
  const renewLeases = async (): Promise<void> => {
    if (held.size === 0) return;
    await deps.store.renewOutbox([...held], deps.workerId, leaseMs).catch((error: unknown) => log.warn({ err: error }, 'could not renew outbox leases'));
  };

  const deliverInbound = async (row: OutboxRow, messageId: string, taken: number[]): Promise<void> => {
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
    const claimed = await deps.store.claimFollowing(row, deps.workerId, maxDigest - 1, leaseMs);
    taken.push(...claimed.map((r) => r.id));
    hold(taken);
    // A post that may be in Teams already is posted again as it was, marked as a possible repeat
    // (the texts that came after it go in the next card, so that the mark covers only repeats);
    // and a card holds about 28 KB in Teams, so a digest stops at a size, not only a count.
    const repeatEnd = row.maybePosted ? claimed.findIndex((r) => !r.maybePosted) : -1;
    const candidates = repeatEnd === -1 ? claimed : claimed.slice(0, repeatEnd);
    const read = await Promise.all(candidates.map((r) => (r.task.kind === 'inbound' ? deps.store.getInbound(r.task.messageId) : undefined)));
    let size = first.body.length;
    const overflow = read.findIndex((m) => (size += m?.body.length ?? 0) > MAX_DIGEST_CHARS);
    const kept = overflow === -1 ? candidates : candidates.slice(0, overflow);
    if (kept.length < claimed.length) await deps.store.deferOutbox(claimed.slice(kept.length).map((r) => r.id), now(), 'the next card of the thread');
    const messages = [first, ...read.slice(0, kept.length).filter((m) => m !== undefined)];
    const ids = [row.id, ...kept.map((r) => r.id)];
    const possibleRepeat = row.maybePosted;
    const draw = await deps.cards.inboundDraft(messages, { possibleRepeat });
    let newThread = false;
    const sent = await sends.send(row, ids, link.channelId, {
      post: async () => {
        // Read in the channel's turn, right before the call: a thread made meanwhile is used.
        const thread = await deps.store.getThread(link.channelId, first.to, first.from);
        newThread = !thread;
        // The first card of a thread says what reaches the customer.
        const card = draw(newThread);
        if (thread) {
          await deps.gateway.post({ ...channelTarget(link), conversationId: thread.conversationId }, { card });
          return undefined;
        }
        return deps.gateway.createThread(channelTarget(link), { card });
      },
      record: async (created) => {
        if (created) await deps.store.saveThread({ channelId: link.channelId, ourNumber: first.to, customerNumber: first.from, ...created, createdAt: now() });
      },
    });
    if (sent) log.info({ messageIds: messages.map((m) => m.messageId), newThread, possibleRepeat }, 'inbound sms posted');
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
    // An update replaces the card in place: doing it twice shows nothing twice.
    const card = deps.cards.outbound(message, { possibleRepeat: row.maybePosted && !update });
    await sends.send(row, [row.id], place.link.channelId, {
      update,
      post: async () => (update ? (await deps.gateway.update(place.target, message.cardActivityId!, { card }), undefined) : deps.gateway.post(place.target, { card })),
      record: async (posted) => {
        if (posted?.activityId) await deps.store.setOutboundCard(messageId, posted.activityId);
      },
    });
  };

  /** A send's result card, as its receipts left it: updated in place, wherever it was sent from. */
  const deliverSendUpdate = async (row: OutboxRow, sendId: string): Promise<void> => {
    const send = await deps.store.getSend(sendId);
    const activityId = send?.cardActivityId;
    if (!send || !activityId) {
      // Not posted yet: attaching the card queues the update then.
      await deps.store.completeOutbox([row.id]);
      return;
    }
    const card = deps.cards.send(send);
    await sends.send(row, [row.id], send.place.conversationId, { post: () => deps.gateway.update(send.place, activityId, { card }), update: true });
  };

  const deliver = async (row: OutboxRow, taken: number[]): Promise<void> => {
    switch (row.task.kind) {
      case 'inbound':
        return deliverInbound(row, row.task.messageId, taken);
      case 'outbound-card':
        return deliverOutbound(row, row.task.messageId, false);
      case 'outbound-update':
        return deliverOutbound(row, row.task.messageId, true);
      case 'send-update':
        return deliverSendUpdate(row, row.task.sendId);
      case 'notice':
        return deps.store.completeOutbox([row.id]);
      default: {
        const never: never = row.task;
        throw new Error(`unknown outbox task ${JSON.stringify(never)}`);
      }
    }
  };

  const handle = async (row: OutboxRow): Promise<void> => {
    // Ours already: a claim that found its lease ended while we are still on it (a store outage
    // stopped the renewals). Delivering it again could post it twice.
    if (held.has(row.id)) return;
    const taken = [row.id];
    hold(taken);
    try {
      await deliver(row, taken);
    } catch (error) {
      // Our own failure before any Teams call (the store, a card): back in line soon, or after
      // the lease when the store cannot even take that.
      log.error({ err: error, id: row.id }, 'outbox row failed');
      await deps.store
        .deferOutbox(taken, new Date(now().getTime() + 1_000 + random() * 1_000), error instanceof Error ? error.message : String(error))
        .catch((deferError: unknown) => log.warn({ err: deferError, id: row.id }, 'could not put an outbox row back; its lease will'));
    } finally {
      taken.forEach((id) => held.delete(id));
    }
  };

  const worker = createOutboxWorker({ claim: (limit) => deps.store.claimOutbox(deps.workerId, limit, leaseMs), handle, log }, { batch, idleMs, minClaimGapMs });

  // A text can be stored as waiting just as its number is linked (see releaseLinkedWaiting):
  // it would wait for the next link; the sweep puts it back in line within `linkSweepMs`.
  let sweeping: NodeJS.Timeout | undefined;
  let sweep: Promise<void> | undefined;
  const sweepLinked = async (): Promise<void> => {
    try {
      // Links made by other instances too, whose clocks may differ a little: hence minutes back.
      const released = await deps.store.releaseLinkedWaiting(new Date(now().getTime() - linkSweepLookbackMs));
      if (released === 0) return;
      log.info({ released }, 'texts that waited for a linked number put back in line');
      worker.wake();
    } catch (error) {
      log.warn({ err: error }, 'outbox link sweep failed');
    }
  };

  return {
    start(): void {
      worker.start();
      renewing ??= setInterval(() => void renewLeases(), Math.max(1, Math.floor(leaseMs / 3))).unref();
      sweeping ??= setInterval(() => {
        sweep ??= sweepLinked().finally(() => (sweep = undefined));
      }, linkSweepMs).unref();
    },
    /** New work arrived: skip the idle wait. */
    wake: worker.wake,
    /**
     * Stops claiming, puts back the rows not yet posted and lets the Teams calls under way finish
     * and be recorded, for up to `graceMs`; the calls still under way then are put back marked as
     * maybe posted (see `releaseUnrecorded`). Resolves with how many were.
     */
    async stop(graceMs?: number): Promise<number> {
      clearInterval(sweeping);
      sweeping = undefined;
      // Leases of the rows still in hand are renewed until they are done or put back.
      // A sweep under way finishes before the store may close.
      await sweep;
      sends.stop();
      const finished = await worker.stop(graceMs);
      clearInterval(renewing);
      renewing = undefined;
      return finished ? 0 : sends.releaseUnrecorded();
    },
  };
};
export type Delivery = ReturnType<typeof createDelivery>;
