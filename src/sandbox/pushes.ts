/**
 * Pushes to customer webhooks, as ClickSend does for inbound SMS and delivery receipts: JSON for
 * `webhook_type: json`, form-urlencoded for `post` (the default), a query string for `get`.
 * Fire and forget: the API answer never waits; each attempt is recorded with its outcome and
 * never retried (ClickSend documents no retry).
 */
import { Agent, request } from 'undici';
import type { Clock } from './deps.js';
import type { PushRecord, SandboxState, WebhookType } from './state.js';
import { nextId } from './state.js';

export type PushPayload = Readonly<Record<string, string | number | null>>;

export interface PushRequest {
  readonly kind: PushRecord['kind'];
  readonly ruleId: number;
  readonly messageId: string;
  readonly url: string;
  readonly format: WebhookType;
  readonly payload: PushPayload;
}

export interface PushDispatcherDeps {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

interface Encoded {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly contentType: string | null;
  readonly body: string;
}

/** Form and query pushes carry every value as a string; `null` becomes empty. */
const asForm = (payload: PushPayload): URLSearchParams =>
  new URLSearchParams(Object.entries(payload).map(([k, v]): [string, string] => [k, v === null ? '' : String(v)]));

export const encodePush = (format: WebhookType, url: string, payload: PushPayload): Encoded => {
  switch (format) {
    case 'json':
      return { url, method: 'POST', contentType: 'application/json', body: JSON.stringify(payload) };
    case 'post':
      return { url, method: 'POST', contentType: 'application/x-www-form-urlencoded', body: asForm(payload).toString() };
    case 'get': {
      const target = new URL(url);
      for (const [k, v] of asForm(payload)) target.searchParams.append(k, v);
      return { url: target.toString(), method: 'GET', contentType: null, body: '' };
    }
    default: {
      const unknown: never = format;
      throw new Error(`unknown webhook type ${String(unknown)}`);
    }
  }
};

const reasonOf = (error: unknown, signal: AbortSignal): string => {
  if (signal.aborted) return `aborted: ${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
};

export const createPushDispatcher = ({ state, clock, timeoutMs }: PushDispatcherDeps) => {
  const agent = new Agent({ keepAliveTimeout: 1_000, connectTimeout: timeoutMs });
  const inFlight = new Map<number, { controller: AbortController; done: Promise<void> }>();
  let closed = false;

  const send = async (record: PushRecord, encoded: Encoded, signal: AbortSignal): Promise<void> => {
    try {
      const headers: Record<string, string> = { 'user-agent': 'ClickSend-Sandbox/1.0' };
      if (encoded.contentType) headers['content-type'] = encoded.contentType;
      const answer = await request(encoded.url, {
        dispatcher: agent,
        method: encoded.method,
        headers,
        body: encoded.method === 'POST' ? encoded.body : null,
        signal,
      });
      await answer.body.dump(); // free the socket; the receiver's words do not matter
      record.status = answer.statusCode;
    } catch (error) {
      record.error = reasonOf(error, signal);
    } finally {
      record.finishedAt = clock.nowMs();
    }
  };

  /** Starts one push and returns its record at once. */
  const push = (req: PushRequest): PushRecord => {
    const encoded = encodePush(req.format, req.url, req.payload);
    const record: PushRecord = {
      id: nextId(state, 'push'),
      kind: req.kind,
      ruleId: req.ruleId,
      messageId: req.messageId,
      url: encoded.url,
      method: encoded.method,
      contentType: encoded.contentType,
      body: encoded.body,
      payload: req.payload,
      startedAt: clock.nowMs(),
      finishedAt: null,
      status: null,
      error: null,
    };
    state.pushes.push(record);
    if (closed) {
      record.error = 'aborted: sandbox closed';
      record.finishedAt = record.startedAt;
      return record;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const done = send(record, encoded, controller.signal).finally(() => {
      clearTimeout(timer);
      inFlight.delete(record.id);
    });
    inFlight.set(record.id, { controller, done });
    return record;
  };

  /** Resolves once every push started so far has been answered or has failed. */
  const settled = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.all([...inFlight.values()].map((p) => p.done));
  };

  const close = async (): Promise<void> => {
    closed = true;
    for (const { controller } of inFlight.values()) controller.abort(new Error('sandbox closed'));
    await settled();
    await agent.destroy();
  };

  return { push, settled, close };
};

export type PushDispatcher = ReturnType<typeof createPushDispatcher>;
