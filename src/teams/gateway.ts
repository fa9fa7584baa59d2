import type { Activity, CloudAdapter, ConversationParameters } from 'botbuilder';
import { TeamsDeliveryError } from '../errors.js';
import type { Logger } from '../log.js';
import { noTeamsMetrics, type TeamsMetrics, type TeamsOperation } from '../metrics/instruments.js';
import { toActivity } from './activities.js';
import { toDeliveryError } from './refusals.js';
import type { ConversationKind, ConversationTarget, OutgoingMessage, TeamsGateway } from './types.js';

export interface TeamsGatewayDeps {
  readonly adapter: CloudAdapter;
  /** The bot's Microsoft app id; none for unauthenticated local runs. */
  readonly appId: string | undefined;
  readonly logger: Logger;
  /**
   * Gives up on a Teams call that has not answered by then (its outcome is then unknown, and a
   * retry is marked as a possible repeat); 90 s unless a test says otherwise: Teams can take a minute.
   */
  readonly timeoutMs?: number;
  readonly metrics?: TeamsMetrics;
}

type Operation = TeamsOperation;

/** The calls we make on botbuilder's ConnectorClient (`conversations`), in our own words. */
interface Conversations {
  createConversation(parameters: Omit<ConversationParameters, 'activity'> & { activity: Partial<Activity> }): Promise<{ id?: string; activityId?: string }>;
  sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string } | undefined>;
  updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<unknown>;
}
interface Connector {
  readonly conversations: Conversations;
}

/** The parts of @azure/core-rest-pipeline's `Pipeline` that `takeOverRetries` touches. */
interface PipelineRequest {
  timeout: number;
}
interface Pipeline {
  removePolicy(options: { name: string }): unknown[];
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown> }): void;
}

const DEFAULT_TIMEOUT_MS = 90_000;
const ROOT_MARKER = ';messageid=';

/**
 * botbuilder 4.23.3 builds each ConnectorClient on @azure/core-client with its default retry
 * policy and no option to change it (botbuilder-stdlib's ServiceClientContext passes no
 * `retryOptions`): 429/503 with Retry-After are retried up to 3 times after the given delay,
 * 408/5xx and ECONNRESET/ECONNREFUSED/ETIMEDOUT up to 3 times with exponential backoff from 1 s.
 * A retried POST can post twice and a retried 429 hammers the limit, so we take the policy out
 * of this (per-call, unshared) client and let the outbox own retries. The pipeline is private in
 * the typings; botbuilder is frozen at its last release and test/teams/gateway.test.ts pins the
 * one-attempt behaviour. The same pipeline also has no timeout: we add one. Returns false when
 * the pipeline is not where botbuilder 4.23.3 keeps it (nothing changed then).
 */
export const takeOverRetries = (connector: unknown, timeoutMs: number): boolean => {
  const pipeline = (connector as { client?: { pipeline?: Partial<Pipeline> } } | undefined)?.client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function' || typeof pipeline.addPolicy !== 'function') return false;
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  // addPolicy throws on a duplicate name: replace ours so that running twice is harmless.
  pipeline.removePolicy({ name: 'teamsGatewayTimeout' });
  pipeline.addPolicy({
    name: 'teamsGatewayTimeout',
    sendRequest: (request, next) => {
      if (!(request.timeout > 0)) request.timeout = timeoutMs;
      return next(request);
    },
  });
  return true;
};

const kindOf = (conversationId: string): ConversationKind =>
  /@thread\.(tacv2|skype)/.test(conversationId) ? 'channel' : conversationId.includes('@thread') ? 'groupChat' : 'personal';

const conversationOf = (target: ConversationTarget) => {
  const kind = kindOf(target.conversationId);
  return { id: target.conversationId, isGroup: kind !== 'personal', tenantId: target.tenantId, conversationType: kind, name: '' };
};

/** What we post, addressed like botbuilder's TurnContext would address it. */
const activityFor = (target: ConversationTarget, message: OutgoingMessage): Partial<Activity> => ({
  ...toActivity(message),
  channelId: 'msteams',
  serviceUrl: target.serviceUrl,
  from: { id: target.botId, name: '' },
  conversation: conversationOf(target),
});

/** `19:abc@thread.tacv2;messageid=1700000000000` -> `1700000000000`. */
export const rootMessageIdOf = (conversationId: string): string | undefined => {
  const at = conversationId.indexOf(ROOT_MARKER);
  return at === -1 ? undefined : conversationId.slice(at + ROOT_MARKER.length) || undefined;
};

export const createTeamsGateway = (deps: TeamsGatewayDeps): TeamsGateway => {
  const log = deps.logger.child({ module: 'teams-gateway' });
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const metrics = deps.metrics ?? noTeamsMetrics;
  let warnedRetries = false;

  /**
   * Runs `work` with botbuilder's connector for `target` (its credentials and audience: none
   * without an app id, `https://api.botframework.com` in the public cloud with one). Errors
   * thrown inside the callback would go to the adapter's onTurnError and be lost: we carry them
   * out and rethrow them as `TeamsDeliveryError`.
   */
  const call = async <T>(operation: Operation, target: ConversationTarget, work: (connector: Connector) => Promise<T>): Promise<T> => {
    const turn: { outcome: { ok: true; value: T } | { ok: false; error: unknown } } = {
      outcome: { ok: false, error: new Error('botbuilder never ran the turn') },
    };
    const started = performance.now();
    try {
      const reference = { channelId: 'msteams', serviceUrl: target.serviceUrl, conversation: conversationOf(target), bot: { id: target.botId, name: '' } };
      await deps.adapter.continueConversationAsync(deps.appId ?? '', reference, async (context) => {
        try {
          const connector = context.turnState.get<Connector>(deps.adapter.ConnectorClientKey);
          if (!takeOverRetries(connector, timeoutMs) && !warnedRetries) {
            warnedRetries = true;
            log.warn('could not turn off botbuilder retries: Teams calls may be retried (and posted twice) by botbuilder');
          }
          turn.outcome = { ok: true, value: await work(connector) };
        } catch (error) {
          turn.outcome = { ok: false, error };
        }
      });
    } catch (error) {
      turn.outcome = { ok: false, error };
    }
    const { outcome } = turn;
    const seconds = (performance.now() - started) / 1000;
    if (outcome.ok) {
      metrics.call(operation, 'ok', seconds);
      return outcome.value;
    }
    const failure = toDeliveryError(operation, outcome.error);
    metrics.call(operation, failure.status === 429 ? 'throttled' : failure.permanent ? 'refused' : 'retry', seconds);
    const fields = { operation, conversationId: target.conversationId, status: failure.status, permanent: failure.permanent, retryAfterMs: failure.retryAfterMs, err: failure.cause };
    // Passing failures are routine (the outbox retries them); permanent ones lose a message.
    if (failure.permanent) log.warn(fields, 'teams call refused');
    else log.info(fields, 'teams call failed, may be retried');
    throw failure;
  };

  return {
    // Not adapter.createConversationAsync: it calls Teams before our callback runs (so its
    // retries cannot be turned off: a 5xx could start the thread twice) and drops the root id.
    createThread: (channel, message) =>
      call('createThread', channel, async ({ conversations }) => {
        const created = await conversations.createConversation({
          isGroup: true,
          channelData: { channel: { id: channel.conversationId }, tenant: { id: channel.tenantId } },
          activity: toActivity(message),
          bot: { id: channel.botId, name: '' },
          tenantId: channel.tenantId,
        });
        const conversationId = created.id;
        const rootMessageId = created.activityId || (conversationId && rootMessageIdOf(conversationId));
        if (!conversationId || !rootMessageId) {
          // Retrying could start a second thread: give up and let a person look.
          throw new TeamsDeliveryError({ message: 'Teams started a thread but did not say its id', status: undefined, permanent: true });
        }
        log.debug({ conversationId, rootMessageId }, 'teams thread created');
        return { conversationId, rootMessageId };
      }),
    post: (target, message) =>
      call('post', target, async ({ conversations }) => {
        // Teams may answer 202 with no body: no id then.
        const sent = await conversations.sendToConversation(target.conversationId, activityFor(target, message));
        return { activityId: sent?.id || undefined };
      }),
    update: (target, activityId, message) =>
      call('update', target, async ({ conversations }) => {
        await conversations.updateActivity(target.conversationId, activityId, { ...activityFor(target, message), id: activityId });
      }),
  };
};

// Where callers and tests have always found it.
export { parseRetryAfter } from './refusals.js';
