import { textMessage } from './helpers/activities.js';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { createSandbox } from '../src/sandbox/server.js';
import { TEST_WEBHOOK_TOKEN } from './helpers/bridge.js';
import { startBridgeProcess } from './helpers/bridge-process.js';
import { startFakeConnector } from './helpers/fake-connector.js';
import { freePort, START_ARGS, startProcess } from './helpers/process.js';
import { linkChannel, postedSms, pushSms, until } from './helpers/relay-traffic.js';

const baseEnv = (port: number) => ({ PORT: String(port), LOG_LEVEL: 'info', DATABASE_URL: 'sqlite::memory:' });

describe('the bridge process (npm start)', () => {
  it('serves /healthz and /readyz, logs its version, and stops cleanly on SIGTERM', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const bridge = startProcess([...START_ARGS], baseEnv(port));
    await bridge.waitFor(/bridge started/);
    expect(bridge.output()).toMatch(/"version":"\d+\.\d+\.\d+"/);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    bridge.child.kill('SIGTERM');
    expect(await bridge.exited()).toEqual({ code: 0, signal: null });
    expect(bridge.output()).toMatch(/bridge stopped/);
  });

  it('refuses to start with a bad configuration and names every bad variable', { timeout: 30_000 }, async () => {
    const bridge = startProcess([...START_ARGS], { PORT: 'x', DEFAULT_COUNTRY: 'Narnia', HOST: '0.0.0.0' });
    const { code } = await bridge.exited();
    expect(code).toBe(78);
    expect(bridge.output()).toMatch(/PORT: set PORT/);
    expect(bridge.output()).toMatch(/DEFAULT_COUNTRY: set DEFAULT_COUNTRY/);
    expect(bridge.output()).toMatch(/HOST: without MicrosoftAppId/);
    expect(bridge.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('listens on every interface once MicrosoftAppId is set, and refuses an activity without a token', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const password = 'app-password-0123456789';
    const bridge = startProcess([...START_ARGS], { ...baseEnv(port), MicrosoftAppId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', MicrosoftAppPassword: password });
    await bridge.waitFor(/bridge started/);
    expect(bridge.output()).toContain(`"url":"http://0.0.0.0:${port}"`);
    expect(bridge.output()).not.toContain(password);

    // Refused before botbuilder would fetch any key: no network needed.
    const activity = textMessage('https://smba.trafficmanager.net/amer/', 'help');
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBe(401);

    bridge.child.kill('SIGTERM');
    expect(await bridge.exited()).toEqual({ code: 0, signal: null });
  });
});

describe('the bridge process with ClickSend credentials', () => {
  it('checks the credentials at start and logs the balance, never the key', { timeout: 45_000 }, async () => {
    const { createSandbox } = await import('../src/sandbox/server.js');
    const sandbox = await createSandbox();
    try {
      const port = await freePort();
      const bridge = startProcess([...START_ARGS], {
        ...baseEnv(port),
        CLICKSEND_API_URL: sandbox.apiUrl,
        CLICKSEND_USERNAME: sandbox.credentials.username,
        CLICKSEND_API_KEY: sandbox.credentials.apiKey,
      });
      await bridge.waitFor(/clicksend credentials accepted/);
      expect(bridge.output()).toMatch(/"balance":\d+/);
      expect(bridge.output()).not.toContain(sandbox.credentials.apiKey);
      bridge.child.kill('SIGTERM');
      await bridge.exited();

      const wrong = startProcess([...START_ARGS], {
        ...baseEnv(port),
        CLICKSEND_API_URL: sandbox.apiUrl,
        CLICKSEND_USERNAME: sandbox.credentials.username,
        CLICKSEND_API_KEY: 'not-the-key-0123456789',
      });
      await wrong.waitFor(/clicksend refused the credentials/);
      expect(wrong.output()).toMatch(/"reason":"invalid-credentials"/);
      expect(wrong.output()).not.toContain('not-the-key-0123456789');
      wrong.child.kill('SIGTERM');
      await wrong.exited();
    } finally {
      await sandbox.close();
    }
  });
});

describe('stopping the bridge process', () => {
  /** A bridge process on a SQLite file with a channel linked, whose Teams holds every post. */
  const startHeld = async (context: TestContext) => {
    const sandbox = await createSandbox();
    const connector = await startFakeConnector();
    const dir = mkdtempSync(join(tmpdir(), 'bridge-stop-'));
    context.onTestFinished(async () => {
      await connector.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const path = join(dir, 'bridge.sqlite');
    const bridge = await startBridgeProcess({ databaseUrl: `sqlite:${path}`, sandbox });
    await linkChannel(bridge.url, connector);
    connector.hold();
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    await until(() => connector.held === 1, 'the post to reach Teams');
    return { bridge, connector, sandbox, path };
  };

  const logLine = (output: string, msg: string): Record<string, unknown> => {
    const line = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
    expect(line, `a "${msg}" line`).toBeDefined();
    return JSON.parse(line!) as Record<string, unknown>;
  };

  it('finishes the Teams post held when SIGTERM arrives, records it done, exits 0 and logs the version and configuration', { timeout: 45_000 }, async (context) => {
    const { bridge, connector, sandbox, path } = await startHeld(context);
    const signalled = Date.now();
    bridge.process.child.kill('SIGTERM');
    await bridge.process.waitFor(/"msg":"stopping"/);
    setTimeout(() => connector.release(), 300);
    expect(await bridge.process.exited()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(10_000);

    expect(postedSms(connector)).toHaveLength(1);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT status FROM outbox').all()).toEqual([{ status: 'done' }]);
    } finally {
      db.close();
    }
    const output = bridge.process.output();
    for (const msg of ['bridge started', 'bridge stopped']) {
      const line = logLine(output, msg);
      expect(line.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(line.config).toMatchObject({ database: expect.stringMatching(/^sqlite:/), metricsToken: 'unset', clicksend: { apiKey: 'set', apiUrl: sandbox.apiUrl } });
    }
    expect(output).not.toContain(TEST_WEBHOOK_TOKEN);
    expect(output).not.toContain(sandbox.credentials.apiKey);
  });

  it('exits at once with 130 on a second signal while it waits for Teams', { timeout: 45_000 }, async (context) => {
    const { bridge, connector } = await startHeld(context);
    bridge.process.child.kill('SIGTERM');
    await bridge.process.waitFor(/"msg":"stopping"/);
    const signalled = Date.now();
    bridge.process.child.kill('SIGINT');
    expect(await bridge.process.exited()).toEqual({ code: 130, signal: null });
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(bridge.process.output()).toMatch(/second signal: exiting now/);
    expect(bridge.process.output()).not.toMatch(/bridge stopped/);
    expect(postedSms(connector)).toHaveLength(0);
  });
});
