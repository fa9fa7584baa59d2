import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';

/** What the bot posted to the Bot Connector. */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT';
  readonly conversationId: string;
  /** The activity replied to or updated, when the path names one. */
  readonly activityId?: string;
  /** The id we answered with (posts) or the one updated (puts). */
  readonly id: string;
  readonly body: Record<string, unknown>;
}

export interface FakeConnector {
  /** Use as the activities' `serviceUrl`. */
  readonly url: string;
  readonly calls: ConnectorCall[];
  /** The Adaptive Cards of every post and update, in order. */
  cards(): { call: ConnectorCall; card: Record<string, unknown> }[];
  /** Resolves once `count` calls were recorded. */
  waitForCalls(count: number, timeoutMs?: number): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};

/**
 * Microsoft's Bot Connector service as far as the bot uses it, on a loopback port: it records
 * every post, reply and update and answers as the real service does. The only fake in the
 * bot tests, standing where this machine cannot reach.
 */
export const startFakeConnector = async (): Promise<FakeConnector> => {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        // restify patches ServerResponse globally: its writeHead does not return the response.
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound' } }));
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
      const id = req.method === 'PUT' ? activityId! : `bot-activity-${next++}`;
      calls.push({ method: req.method, conversationId, ...(activityId ? { activityId } : {}), id, body });
      waiters.splice(0).forEach((wake) => wake());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    cards: () =>
      calls.flatMap((call) =>
        ((call.body.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined) ?? [])
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive' && a.content)
          .map((a) => ({ call, card: a.content! })),
      ),
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
