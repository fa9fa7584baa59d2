import { MockAgent } from 'undici';
import { afterEach } from 'vitest';
import { createClickSendClient, type ClickSendClient, type ClickSendClientOptions } from '../../src/clicksend/client.js';
import { createTransport } from '../../src/clicksend/transport.js';

export const MOCK_ORIGIN = 'https://rest.clicksend.test';

export interface MockClickSend {
  readonly agent: MockAgent;
  readonly pool: ReturnType<MockAgent['get']>;
  readonly client: ClickSendClient;
  /** Every request the client made, in order, with its parsed JSON body. */
  requests(): { method: string; path: string; query: string; headers: Record<string, unknown>; body: unknown }[];
  /** The sleeps the client asked for (429 waits, GET retry backoff). */
  readonly sleeps: number[];
}

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

export const envelope = (data: unknown, responseCode = 'SUCCESS', httpCode = 200) => ({
  http_code: httpCode,
  response_code: responseCode,
  response_msg: responseCode === 'SUCCESS' ? 'Here are your data.' : 'Something went wrong.',
  data,
});

/** Our client over undici's MockAgent: no socket, every request recorded at the wire. */
export const mockClickSend = (options: Partial<ClickSendClientOptions> = {}): MockClickSend => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const sleeps: number[] = [];
  const client = createClickSendClient(
    { baseUrl: `${MOCK_ORIGIN}/v3`, credentials: { username: 'user', apiKey: 'key' }, rateLimit: false, ...options },
    {
      dispatcher: agent,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  return {
    agent,
    pool: agent.get(MOCK_ORIGIN),
    client,
    sleeps,
    requests: () =>
      (agent.getCallHistory()?.calls() ?? []).map((call) => ({
        method: call.method,
        path: call.path,
        query: call.searchParams ? new URLSearchParams(call.searchParams as Record<string, string>).toString() : '',
        headers: (call.headers ?? {}) as Record<string, unknown>,
        body: typeof call.body === 'string' ? JSON.parse(call.body) : undefined,
      })),
  };
};

/**
 * Just the transport over a MockAgent (for one area's API), with every request recorded and
 * waits skipped; closed after the test.
 */
export const mockTransport = (credentials: { username: string; apiKey: string } = { username: 'user', apiKey: 'key' }) => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const transport = createTransport(
    { baseUrl: `${MOCK_ORIGIN}/v3`, credentials, rateLimit: false },
    { dispatcher: agent, sleep: async () => {} },
  );
  return { agent, transport, origin: agent.get(MOCK_ORIGIN), calls: () => agent.getCallHistory()?.calls() ?? [] };
};
