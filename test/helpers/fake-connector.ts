import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { TEAMS_LIMITS, conversationKey, type RateWindow } from '../../src/teams/rate-limits.js';

/** What the bot posted to the Bot Connector. */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT';
  /** For a new thread (`created`), the thread's id: `<channel>;messageid=<id>`. */
  readonly conversationId: string;
  /** The activity replied to or updated, when the path names one. */
  readonly activityId?: string;
  /** The id we answered with (posts, new threads: the root post) or the one updated (puts); '' when we answered no body. */
  readonly id: string;
  readonly body: Record<string, unknown>;
  /** `POST /v3/conversations`: the call started a new thread in a channel. */
  readonly created?: boolean;
}

/** Every request that reached the connector, including the ones it refused. */
export interface ConnectorAttempt {
  readonly method: string;
  readonly path: string;
  /** What the connector answered; 0 when it destroyed the socket instead. */
  readonly status: number;
  /** When the request arrived (wall clock, `Date.now()`), for measuring the gaps between retries. */
  readonly at: number;
}

/** How the next requests fail, as Teams fails them. */
export interface ScriptedFailure {
  readonly status: number;
  /** The `Retry-After` header: seconds, or an HTTP date. */
  readonly retryAfter?: number | string;
  /** How many requests in a row fail this way (1). */
  readonly times?: number;
}

export interface FakeConnectorOptions {
  /** The clock `enforceLimits` counts with (`Date.now`). */
  readonly now?: () => number;
}

export interface FakeConnector {
  /** Use as the activities' `serviceUrl`. */
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** Every request, answered or refused, in order. */
  readonly attempts: ConnectorAttempt[];
  /** How many requests `enforceLimits` answered 429. */
  readonly throttled: number;
  /** The Adaptive Cards of every post, update and new thread, in order. */
  cards(): { call: ConnectorCall; card: Record<string, unknown> }[];
  /** Resolves once `count` calls were recorded. */
  waitForCalls(count: number, timeoutMs?: number): Promise<ConnectorCall[]>;
  /** The next requests (any route) are answered with this status and a Teams error body. */
  failNext(failure: ScriptedFailure): void;
  /** The next sends (posts, updates, new threads) succeed with 202 and no body, as Teams sometimes answers. */
  acceptWithoutBody(times?: number): void;
  /** While down, every request's socket is destroyed before any answer. */
  down(isDown: boolean): void;
  /** Answers 429 with `Retry-After` beyond Teams' per-conversation and global limits. */
  enforceLimits(on: boolean): void;
  /** Forgets the failures `failNext` scripted and not yet used. */
  clearFailures(): void;
  /**
   * From now on, requests are read but not answered (nor recorded as calls) until `release`
   * answers them or `drop` destroys them: a Teams that is slow to answer, so that a test can
   * kill the bridge while a post is in flight.
   */
  hold(): void;
  /** How many requests are being held. */
  readonly held: number;
  /** Stops holding and answers the held requests, oldest first, as if they had just arrived. */
  release(): void;
  /** Destroys the held requests' sockets unanswered (attempts with status 0); holding goes on. */
  drop(): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  // restify patches ServerResponse globally: its writeHead does not return the response.
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'Throttled',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/**
 * Teams' rate limits counted the plain way (every accepted send kept and counted per window),
 * apart from the bridge's own limiter so that one checks the other. Refused sends do not count.
 */
const createLimitCounter = (now: () => number) => {
  const byKey = new Map<string, number[]>();
  const all: number[] = [];
  const waitMs = (times: readonly number[], limits: readonly RateWindow[], at: number): number => {
    let wait = 0;
    for (const { windowMs, max } of limits) {
      const inWindow = times.filter((t) => t > at - windowMs);
      if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max]! + windowMs - at);
    }
    return wait;
  };
  return {
    /** Ms until `key` may send again; 0 when allowed, and then the send is counted. */
    take(key: string): number {
      const at = now();
      const times = byKey.get(key) ?? [];
      while (times.length > 0 && times[0]! <= at - 3_600_000) times.shift();
      while (all.length > 0 && all[0]! <= at - 1_000) all.shift();
      const wait = Math.max(waitMs(times, TEAMS_LIMITS.perConversation, at), waitMs(all, TEAMS_LIMITS.global, at));
      if (wait > 0) return wait;
      times.push(at);
      all.push(at);
      byKey.set(key, times);
      return 0;
    },
  };
};

/**
 * Microsoft's Bot Connector service as far as the bot uses it, on a loopback port: it records
 * every post, reply, update and new thread and answers as the real service does. The only fake
 * in the bot tests, standing where this machine cannot reach.
 */
export const startFakeConnector = async (options: FakeConnectorOptions = {}): Promise<FakeConnector> => {
  const calls: ConnectorCall[] = [];
  const attempts: ConnectorAttempt[] = [];
  const failures: ScriptedFailure[] = [];
  let next = 1;
  let noBody = 0;
  let isDown = false;
  let limits: ReturnType<typeof createLimitCounter> | undefined;
  let throttled = 0;
  let holding = false;
  const held: { req: IncomingMessage; res: ServerResponse; method: string; path: string; body: Record<string, unknown>; at: number }[] = [];
  const waiters: (() => void)[] = [];

  const record = (call: ConnectorCall): void => {
    calls.push(call);
    waiters.splice(0).forEach((wake) => wake());
  };

  const respond = (res: ServerResponse, method: string, path: string, body: Record<string, unknown>, at: number): void => {
    const answer = (status: number, json: unknown, headers?: Record<string, string>): void => {
      attempts.push({ method, path, status, at });
      sendJson(res, status, json, headers);
    };
    const failure = failures[0];
    if (failure) {
      const left = (failure.times ?? 1) - 1;
      if (left > 0) failures[0] = { ...failure, times: left };
      else failures.shift();
      const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      answer(failure.status, { error: { code: ERROR_CODES[failure.status] ?? 'Error', message: `scripted ${failure.status}` } }, headers);
      return;
    }
    const created = method === 'POST' && path === '/v3/conversations';
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!created && (!match || (method !== 'POST' && method !== 'PUT'))) {
      answer(404, { error: { code: 'NotFound' } });
      return;
    }
    const channelId = String((body.channelData as { channel?: { id?: unknown } } | undefined)?.channel?.id ?? '');
    const conversationId = created ? channelId : decodeURIComponent(match![1]!);
    const wait = limits?.take(conversationKey(conversationId)) ?? 0;
    if (wait > 0) {
      throttled += 1;
      answer(429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1_000))) });
      return;
    }
    const silent = noBody > 0;
    if (silent) noBody -= 1;
    const reply = (status: number, json: unknown): void => {
      if (!silent) return answer(status, json);
      attempts.push({ method, path, status: 202, at });
      res.writeHead(202);
      res.end();
    };
    if (created) {
      // Teams' root message ids are millisecond timestamps.
      const id = String(1_700_000_000_000 + next++);
      const threadId = `${channelId};messageid=${id}`;
      record({ method: 'POST', conversationId: threadId, id: silent ? '' : id, body, created: true });
      reply(201, { id: threadId, activityId: id });
      return;
    }
    const activityId = match![2] ? decodeURIComponent(match![2]) : undefined;
    const id = silent ? '' : method === 'PUT' ? activityId! : `bot-activity-${next++}`;
    record({ method: method as 'POST' | 'PUT', conversationId, ...(activityId ? { activityId } : {}), id, body });
    reply(200, { id });
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    const at = Date.now();
    if (isDown) {
      attempts.push({ method, path, status: 0, at });
      req.socket.destroy();
      return;
    }
    void (async () => {
      const body = await readBody(req);
      if (holding) held.push({ req, res, method, path, body, at });
      else respond(res, method, path, body, at);
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    attempts,
    get throttled() {
      return throttled;
    },
    cards: () =>
      calls.flatMap((call) => {
        const activity = (call.created ? call.body.activity : call.body) as { attachments?: { contentType?: string; content?: Record<string, unknown> }[] } | undefined;
        return (activity?.attachments ?? [])
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive' && a.content)
          .map((a) => ({ call, card: a.content! }));
      }),
    async waitForCalls(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} connector calls, got ${calls.length}: ${JSON.stringify(calls.map((c) => c.body.text ?? c.method))}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return calls;
    },
    failNext(failure) {
      failures.push(failure);
    },
    acceptWithoutBody(times = 1) {
      noBody += times;
    },
    down(value) {
      isDown = value;
      // Kept-alive sockets would otherwise still reach the handler's answer path after going down.
      if (value) server.closeIdleConnections();
    },
    enforceLimits(on) {
      limits = on ? createLimitCounter(options.now ?? Date.now) : undefined;
    },
    clearFailures() {
      failures.length = 0;
    },
    hold() {
      holding = true;
    },
    get held() {
      return held.length;
    },
    release() {
      holding = false;
      for (const request of held.splice(0)) respond(request.res, request.method, request.path, request.body, request.at);
    },
    drop() {
      for (const request of held.splice(0)) {
        attempts.push({ method: request.method, path: request.path, status: 0, at: request.at });
        request.req.socket.destroy();
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
