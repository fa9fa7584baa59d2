import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'vitest';
import { createApp, type App, type AppDeps } from '../../src/app.js';
import { unescapeMarkdown } from '../../src/cards/text.js';
import { executeAction } from './activities.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';
import { dropSchema, TEST_DATABASE_URL, uniqueName } from './postgres.js';
import { freePort } from './process.js';

export const TEST_WEBHOOK_TOKEN = 'test-webhook-token-0123456789abcdef0123456789';

export interface TestBridge {
  readonly app: App;
  readonly url: string;
  readonly sandbox: Sandbox;
  readonly connector: FakeConnector;
  /** Every log line the bridge wrote. */
  readonly logs: () => string;
  /** POSTs an activity to /api/messages as Teams does; returns the HTTP answer. */
  post(activity: object): Promise<{ status: number; body: unknown }>;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
});

/**
 * The whole bridge in this process over real HTTP on a loopback port, with a SQLite file, the
 * ClickSend sandbox behind it and a fake Bot Connector as every activity's serviceUrl.
 */
export const startTestBridge = async (
  options: {
    env?: Record<string, string>;
    sandbox?: SandboxOptions;
    deps?: Partial<AppDeps>;
    clicksend?: boolean;
    /** Sets WEBHOOK_TOKEN and PUBLIC_URL (this bridge) and registers the sandbox's rules. */
    webhooks?: boolean;
    /**
     * The store: a SQLite file of its own (the default), or PostgreSQL in `schema` (a fresh one,
     * dropped afterwards, unless given: bridges given the same schema share the database).
     */
    database?: { engine: 'sqlite' } | { engine: 'postgres'; schema?: string };
    /**
     * Takes the bridge's shutdown; by default it runs after the current test (afterEach), which
     * would stop every bridge of concurrent tests: those pass their context's `onTestFinished`.
     */
    cleanup?: (stop: () => Promise<void>) => void;
  } = {},
): Promise<TestBridge> => {
  const sandbox = await createSandbox(options.sandbox);
  const connector = await startFakeConnector();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-test-'));
  let logs = '';
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs += String(chunk);
      callback();
    },
  });
  const withClickSend = options.clicksend !== false;
  const port = await freePort();
  const config = loadConfig(
    {
      PORT: String(port),
      ...(options.webhooks ? { WEBHOOK_TOKEN: TEST_WEBHOOK_TOKEN, PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
      DATABASE_URL: `sqlite:${join(dir, 'bridge.sqlite')}`,
      LOG_LEVEL: 'debug',
      CLICKSEND_RATE_LIMIT: '1000/1s',
      ...(withClickSend
        ? { CLICKSEND_API_URL: sandbox.apiUrl, CLICKSEND_USERNAME: sandbox.credentials.username, CLICKSEND_API_KEY: sandbox.credentials.apiKey }
        : {}),
      ...options.env,
    },
    { envFile: undefined },
  );
  const logger = createLogger({ level: 'debug', destination });
  const postgres = options.database?.engine === 'postgres' ? options.database : undefined;
  const schema = postgres ? (postgres.schema ?? uniqueName('bridge_test')) : undefined;
  const store = schema ? await openPostgresStore({ url: TEST_DATABASE_URL, schema, logger }) : undefined;
  const app = await createApp(config, { logger, ...(store ? { store } : {}), ...options.deps });
  const { url } = await app.listen();
  if (options.webhooks) await app.checkClickSend();
  (options.cleanup ?? ((stop) => running.push(stop)))(async () => {
    await app.close(1_000);
    await connector.close();
    await sandbox.close();
    await store?.close();
    if (schema && postgres?.schema === undefined) await dropSchema(schema);
  });
  return {
    app,
    url,
    sandbox,
    connector,
    logs: () => logs,
    async post(activity) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  };
};

/** Every TextBlock/FactSet text of a card as a user reads it (Markdown escapes undone), joined. */
export const cardText = (card: unknown): string => {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title' || key === 'value' || key === 'label') && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return unescapeMarkdown(texts.join('\n'));
};

/** Input ids of a card, in order. */
export const inputIds = (card: unknown): string[] => {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Input.') && typeof record.id === 'string') ids.push(record.id);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return ids;
};

/** The Action.Execute buttons of a card. */
export const executeActions = (card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] => {
  const found: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute') {
        found.push({ title: String(record.title ?? ''), verb: String(record.verb ?? ''), data: (record.data as Record<string, unknown>) ?? {} });
      }
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
};

/**
 * Clicks an Action.Execute button (`verb` with `data`) on a card, as Teams sends it (from the
 * default user unless `from` says otherwise); resolves with the card that replaced the clicked one.
 */
export const executeCard = async (
  bridge: TestBridge,
  verb: string,
  data: Record<string, unknown>,
  options: { cardId?: string; from?: object } = {},
): Promise<Record<string, unknown>> => {
  const activity = executeAction(bridge.connector.url, options.cardId ?? `card-${verb}-${randomUUID()}`, verb, data);
  const answer = await bridge.post(options.from ? { ...activity, from: options.from } : activity);
  if (answer.status !== 200) throw new Error(`${verb} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { value: Record<string, unknown> }).value;
};
