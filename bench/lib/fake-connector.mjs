// Microsoft's Bot Connector as far as the bridge uses it, on a loopback port: a plain-JS copy of
// test/helpers/fake-connector.ts, trimmed to what the delivery benchmark needs and extended to
// time every accepted post and to read the SMS it carries. It enforces Teams' limits the plain
// way (every accepted send kept and counted per window, apart from the bridge's own limiter so
// that one checks the other): per conversation key (a channel and all its reply threads share
// one budget) and 50/s overall, answering 429 with Retry-After beyond them.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { TEAMS_LIMITS, conversationKey } from '../../dist/teams/rate-limits.js';

const readBody = async (req) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const sendJson = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Teams' limits counted the plain way; refused sends do not count. */
export const createLimitCounter = (now, limits = TEAMS_LIMITS) => {
  const byKey = new Map();
  const all = [];
  const waitMs = (times, windows, at) => {
    let wait = 0;
    for (const { windowMs, max } of windows) {
      const inWindow = times.filter((t) => t > at - windowMs);
      if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max] + windowMs - at);
    }
    return wait;
  };
  return {
    /**
     * Whether `key` may send now (then the send is counted) and, if not, for how long each kind
     * of limit still holds it back (ms).
     */
    take(key) {
      const at = now();
      const times = byKey.get(key) ?? [];
      while (times.length > 0 && times[0] <= at - 3_600_000) times.shift();
      while (all.length > 0 && all[0] <= at - 1_000) all.shift();
      const conversation = waitMs(times, limits.perConversation, at);
      const global = waitMs(all, limits.global, at);
      const wait = Math.max(conversation, global);
      if (wait > 0) return { wait, conversation, global };
      times.push(at);
      all.push(at);
      byKey.set(key, times);
      return { wait: 0, conversation: 0, global: 0 };
    },
  };
};

/**
 * `markers`: a global regex whose first group is a message number found in a card's text; each
 * accepted post records the numbers it carries, in order, with the thread it went to.
 */
export const startFakeConnector = async ({ now = Date.now, markers = /SEQ(\d+)E/g } = {}) => {
  const posts = [];
  const refusals = [];
  let limits = createLimitCounter(now);
  let throttled = 0;
  let refusedOther = 0;
  let next = 1;
  let onPost;

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    void (async () => {
      const text = await readBody(req);
      const body = text ? JSON.parse(text) : {};
      const created = method === 'POST' && path === '/v3/conversations';
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!created && (!match || (method !== 'POST' && method !== 'PUT'))) {
        refusedOther += 1;
        sendJson(res, 404, { error: { code: 'NotFound' } });
        return;
      }
      const channelId = String(body.channelData?.channel?.id ?? '');
      const conversationId = created ? channelId : decodeURIComponent(match[1]);
      const { wait, conversation, global } = limits.take(conversationKey(conversationId));
      if (wait > 0) {
        throttled += 1;
        refusals.push({ at: now(), thread: conversationId, waitMs: wait, limit: conversation > 0 ? 'conversation' : 'global' });
        sendJson(res, 429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1_000))) });
        return;
      }
      const seen = new Set();
      const messages = [];
      for (const [, n] of text.matchAll(markers)) {
        if (!seen.has(n)) messages.push(Number(n));
        seen.add(n);
      }
      const at = now();
      // The bridge's note on a post it made again after losing Teams' answer (a killed instance).
      const repeat = text.includes('This may repeat a card');
      if (created) {
        const id = String(1_700_000_000_000 + next++);
        const threadId = `${channelId};messageid=${id}`;
        posts.push({ at, method, thread: threadId, channel: channelId, created: true, messages, repeat });
        sendJson(res, 201, { id: threadId, activityId: id });
      } else {
        const id = method === 'PUT' ? decodeURIComponent(match[2]) : `bot-activity-${next++}`;
        posts.push({ at, method, thread: conversationId, channel: conversationKey(conversationId), created: false, messages, repeat });
        sendJson(res, 200, { id });
      }
      onPost?.();
    })().catch((error) => {
      refusedOther += 1;
      sendJson(res, 500, { error: { code: 'InternalServerError', message: String(error) } });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}/`,
    posts,
    /** Every 429: when, to which conversation, how long the limits still had to run, and which limit (conversation first). */
    refusals,
    get throttled() {
      return throttled;
    },
    get refusedOther() {
      return refusedOther;
    },
    /** Forgets everything: a new scenario starts with empty windows. */
    reset() {
      posts.length = 0;
      refusals.length = 0;
      throttled = 0;
      refusedOther = 0;
      limits = createLimitCounter(now);
    },
    /** Resolves once `done()` is true after a post, or after `timeoutMs` (then `false`). */
    waitUntil(done, timeoutMs) {
      return new Promise((resolve) => {
        if (done()) return resolve(true);
        const timer = setTimeout(() => {
          onPost = undefined;
          resolve(false);
        }, timeoutMs);
        onPost = () => {
          if (!done()) return;
          clearTimeout(timer);
          onPost = undefined;
          resolve(true);
        };
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
