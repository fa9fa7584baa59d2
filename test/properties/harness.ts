import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';
import { startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';
import { recordClickSend, type ClickSendRecorder, type RecordedRequest } from './recorder.js';

/**
 * One real bridge (real routes, SQLite file, ClickSend sandbox behind a recording dispatcher,
 * fake Bot Connector) shared by every run of a property file: starting one per run would
 * leave no time for thousands of inputs.
 */
export interface PropertyBridge {
  readonly bridge: TestBridge;
  readonly clicksend: ClickSendRecorder;
  /**
   * ClickSend requests since start-up (which registers the webhook rules and checks the
   * credentials); `writes` leaves out GETs (reading lists, return addresses).
   */
  clicksendCalls(): { all: RecordedRequest[]; writes: RecordedRequest[] };
  /** Rows in the tables a push writes to. */
  rows(): { inbound: number; outbox: number };
  /** The stored inbound SMS with this `message_id`, as its columns hold it. */
  inbound(messageId: string): { from_number: string; to_number: string; body: string } | undefined;
  /** A POST of exact bytes; the answer's body parsed when it is JSON. */
  post(path: string, body: string | Uint8Array, contentType?: string): Promise<{ status: number; body: unknown; text: string }>;
}

export const startPropertyBridge = async (): Promise<PropertyBridge> => {
  const clicksend = recordClickSend();
  const file = join(mkdtempSync(join(tmpdir(), 'bridge-properties-')), 'bridge.sqlite');
  let stop: () => Promise<void> = async () => {};
  const bridge = await startTestBridge({
    webhooks: true,
    env: { DATABASE_URL: `sqlite:${file}` },
    deps: { clicksendDispatcher: clicksend.dispatcher },
    cleanup: (close) => {
      stop = close;
    },
  });
  const startup = clicksend.requests.length;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  afterAll(async () => {
    db.close();
    await stop();
  });
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    bridge,
    clicksend,
    clicksendCalls: () => {
      const all = clicksend.requests.slice(startup);
      return { all, writes: all.filter((r) => r.method !== 'GET') };
    },
    rows: () => ({ inbound: count('inbound'), outbox: count('outbox') }),
    inbound: (messageId) =>
      db.prepare('SELECT from_number, to_number, body FROM inbound WHERE message_id = ?').get(messageId) as
        | { from_number: string; to_number: string; body: string }
        | undefined,
    async post(path, body, contentType) {
      const response = await fetch(`${bridge.url}${path}`, {
        method: 'POST',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
        body,
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, text };
    },
  };
};

export const webhookPath = (route: 'inbound' | 'receipts') => `/webhooks/clicksend/${route}?token=${TEST_WEBHOOK_TOKEN}`;

/** A refusal as the webhooks answer it: a 4xx with a JSON `error` (and `issues` for a 400). */
export const expectWebhookRefusal = (answer: { status: number; body: unknown; text: string }, statuses: readonly number[]): void => {
  expect(statuses, answer.text).toContain(answer.status);
  expect(answer.body, answer.text).toMatchObject({ error: expect.any(String) });
  if (answer.status === 400) expect(answer.body, answer.text).toMatchObject({ issues: expect.any(Array) });
};
