import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { createSandbox, type Sandbox } from '../src/sandbox/server.js';
import { textMessage } from './helpers/activities.js';
import { startFakeConnector, type FakeConnector } from './helpers/fake-connector.js';
import { driveFullRun, NUMBERS, OUR_NUMBER, TEXTS } from './helpers/full-run.js';
import { findPersonalData, findSecrets } from './helpers/leaks.js';
import { freePort, START_ARGS, startProcess, type RunningProcess } from './helpers/process.js';
import { linkChannel, until } from './helpers/relay-traffic.js';

/**
 * The bridge as `npm start` runs it (the bundle: build first), with every secret set to a
 * value no log line could hold by chance, through a full run of traffic and failures: nothing
 * it writes to stdout or stderr holds a secret, in any form, at any level; at `info` it holds
 * no phone number and no message text either.
 */

const USERNAME = 'bridge-user';
const SECRETS = {
  CLICKSEND_API_KEY: 'ak-Zq7XCLICKSENDkey-4f1e9b2d7c3a',
  MicrosoftAppPassword: 'pw~Zq7X.AppPassword_8d2c~e41f7b',
  WEBHOOK_TOKEN: 'wh-Zq7X-webhook-token-5c0d9e8f7a6b5c4d3e2f',
  METRICS_TOKEN: 'mt-Zq7X-metrics-token-91ab37',
} as const;

interface Setup {
  readonly sandbox: Sandbox;
  readonly connector: FakeConnector;
  readonly databaseUrl: string;
}

const setUp = async ({ onTestFinished }: TestContext): Promise<Setup> => {
  const sandbox = await createSandbox({ accounts: [{ username: USERNAME, apiKey: SECRETS.CLICKSEND_API_KEY }], dedicatedNumbers: [OUR_NUMBER] });
  const connector = await startFakeConnector();
  const dir = mkdtempSync(join(tmpdir(), 'bridge-secrets-'));
  onTestFinished(async () => {
    await connector.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sandbox, connector, databaseUrl: `sqlite:${join(dir, 'bridge.sqlite')}` };
};

/** Starts the bridge with every secret set; resolves once ClickSend answered the key check (the rules are in place by then). */
const startBridge = async (setup: Setup, env: Record<string, string>, started = /clicksend credentials accepted/): Promise<{ url: string; bridge: RunningProcess }> => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bridge = startProcess([...START_ARGS], {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATABASE_URL: setup.databaseUrl,
    CLICKSEND_API_URL: setup.sandbox.apiUrl,
    CLICKSEND_USERNAME: USERNAME,
    CLICKSEND_RATE_LIMIT: '1000/1s',
    ...SECRETS,
    ...env,
  });
  await bridge.waitFor(started);
  return { url, bridge };
};

/** SIGTERM, and the graceful stop it must lead to. */
const stop = async (bridge: RunningProcess): Promise<string> => {
  bridge.child.kill('SIGTERM');
  expect(await bridge.exited()).toEqual({ code: 0, signal: null });
  expect(bridge.output()).toContain('bridge stopped');
  return bridge.output();
};

/** What the bridge showed Teams (every card and message it posted) and its HTTP answers (invoke cards, errors). */
const shown = (connector: FakeConnector, answers: readonly string[]): string => JSON.stringify(connector.calls.map((c) => c.body)) + answers.join('\n');

describe('secrets in everything the bridge writes', () => {
  it('finds a secret written as is, URL-encoded, or in a Basic header, so that a clean scan means something', () => {
    const basic = Buffer.from(`${USERNAME}:${SECRETS.CLICKSEND_API_KEY}`).toString('base64');
    expect(findSecrets(`{"authorization":"Basic ${basic}"}`, SECRETS)).toEqual(['CLICKSEND_API_KEY in base64']);
    expect(findSecrets(`GET /x?token=${SECRETS.WEBHOOK_TOKEN}`, SECRETS)).toEqual([`WEBHOOK_TOKEN as "${SECRETS.WEBHOOK_TOKEN}"`]);
    expect(findSecrets(encodeURIComponent(SECRETS.MicrosoftAppPassword), SECRETS)).toEqual([`MicrosoftAppPassword as "${encodeURIComponent(SECRETS.MicrosoftAppPassword)}"`]);
    expect(findPersonalData('to 0411 111 111', [NUMBERS.customer], [])).toEqual(['0411 111 111']);
  });

  it('never writes a secret, even at trace, through a full run of traffic, failures and a graceful stop', { timeout: 60_000 }, async (context) => {
    const setup = await setUp(context);
    const { url, bridge } = await startBridge(setup, { LOG_LEVEL: 'trace' });
    const answers = await driveFullRun({ url, token: SECRETS.WEBHOOK_TOKEN, metricsToken: SECRETS.METRICS_TOKEN, ...setup });
    const output = await stop(bridge);

    // The run happened, and its debug lines were written.
    expect(output).toContain('"level":20');
    expect(output).toContain('teams call failed, may be retried');
    expect(output).toContain('webhook push refused');
    expect(setup.sandbox.state.messages.length).toBeGreaterThanOrEqual(3);
    expect(findSecrets(output, SECRETS)).toEqual([]);
    expect(shown(setup.connector, answers)).toContain(TEXTS.inbound);
    expect(answers).toContain('{"ok":true}');
    expect(findSecrets(shown(setup.connector, answers), SECRETS)).toEqual([]);
  });

  it('writes no phone number and no message text at info, through the same run', { timeout: 60_000 }, async (context) => {
    const setup = await setUp(context);
    const { url, bridge } = await startBridge(setup, { LOG_LEVEL: 'info' });
    const answers = await driveFullRun({ url, token: SECRETS.WEBHOOK_TOKEN, metricsToken: SECRETS.METRICS_TOKEN, ...setup });
    const output = await stop(bridge);

    expect(output).toContain('inbound sms stored');
    expect(output).toContain('reply sent');
    expect(output).toContain('+61******111');
    expect(findSecrets(output + shown(setup.connector, answers), SECRETS)).toEqual([]);
    expect(findPersonalData(output, [...Object.values(NUMBERS), OUR_NUMBER], Object.values(TEXTS))).toEqual([]);
  });

  it('never writes a refused API key, the app password nor a caller\'s token with Bot Framework authentication on', { timeout: 60_000 }, async (context) => {
    const setup = await setUp(context);
    const bogus = 'eyJhbGciOiJSUzI1NiJ9.eyJib2d1cyI6IlpxN1gifQ.Zq7XbogusSignature0123456789';
    const wrongKey = 'ak-Zq7X-WRONG-key-0d9c8b7a6f5e';
    // First without an app id and with a key ClickSend refuses: the channel is linked (so that
    // posting to it needs a token later) and an SMS is refused.
    const open = await startBridge(setup, { LOG_LEVEL: 'trace', CLICKSEND_API_KEY: wrongKey }, /clicksend refused the credentials/);
    await linkChannel(open.url, setup.connector, { number: OUR_NUMBER });
    const refused = await fetch(`${open.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(textMessage(setup.connector.url, `sms ${NUMBERS.typed} ${TEXTS.typed}`)),
    });
    expect(refused.status).toBeLessThan(300);
    await until(() => setup.connector.cards().some((c) => JSON.stringify(c.card).includes('UNAUTHORIZED')), 'the refusal card');
    const linking = (await stop(open.bridge)) + JSON.stringify(setup.connector.calls);
    const { url, bridge } = await startBridge(setup, { LOG_LEVEL: 'trace', MicrosoftAppId: '00000000-0000-0000-0000-0000000000b0' });
    // A caller with a forged token: refused; and an inbound SMS, whose post to Teams needs a token got with the password.
    const activity = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bogus}` },
      body: JSON.stringify(textMessage(setup.connector.url, `sms ${NUMBERS.typed} ${TEXTS.typed}`)),
    });
    await activity.arrayBuffer();
    expect(activity.status).toBeGreaterThanOrEqual(400);
    // A body that is not an activity, with the webhook token in its URL, a bearer and an answer
    // type restify cannot give: refused, and nothing of it may be written. (restify logs a request
    // it fails to format through its own logger; test/log.test.ts checks that logger is ours.)
    const unanswerable = await fetch(`${url}/api/messages?token=${SECRETS.WEBHOOK_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'image/png', authorization: `Bearer ${bogus}` },
      body: JSON.stringify([textMessage(setup.connector.url, `sms ${NUMBERS.typed} ${TEXTS.typed}`)]),
    });
    await unanswerable.arrayBuffer();
    expect(unanswerable.status).toBeGreaterThanOrEqual(400);
    expect(unanswerable.status).toBeLessThan(500);
    await setup.sandbox.simulateInbound({ from: NUMBERS.customer, to: OUR_NUMBER, body: TEXTS.inbound });
    await until(() => setup.sandbox.state.pushes.find((p) => p.kind === 'inbound' && p.status === 200), 'the inbound SMS stored');
    await until(() => /teams call (failed|refused)/.test(bridge.output()), 'a post to Teams tried with the app credentials', 20_000);
    const output = linking + (await stop(bridge));

    expect(setup.sandbox.state.messages).toEqual([]);
    expect(output).toContain('"reason":"invalid-credentials"');
    expect(findSecrets(output, { ...SECRETS, bogus, wrongKey })).toEqual([]);
  });
});
