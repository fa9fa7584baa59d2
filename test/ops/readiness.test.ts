import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { startTestBridge } from '../helpers/bridge.js';
import { scrapeMetrics } from '../helpers/metrics.js';
import { createTestDatabase, withAdmin } from '../helpers/postgres.js';
import { linkChannel, postedSms, pushSms, until } from '../helpers/relay-traffic.js';

const readyz = async (url: string) => {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Polls /readyz until it answers `status`; its body. */
const readyzUntil = async (url: string, status: number, timeoutMs = 15_000) =>
  until(async () => {
    const answer = await readyz(url);
    return answer.status === status ? answer.body : undefined;
  }, `/readyz to answer ${status}`, timeoutMs);

const tempFile = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'readyz-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
};

describe('GET /readyz during a total Teams outage', () => {
  it('answers 503 with the Teams reason once a post has waited longer than READYZ_MAX_OUTBOX_AGE since it was queued, and 200 once Teams takes it', { timeout: 60_000 }, async () => {
    const path = tempFile('bridge.sqlite');
    const bridge = await startTestBridge({ webhooks: true, env: { READYZ_MAX_OUTBOX_AGE: '2', DATABASE_URL: `sqlite:${path}` } });
    await linkChannel(bridge.url, bridge.connector);
    bridge.connector.failNext({ status: 500, times: 1_000_000 });
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);

    const failing = await readyzUntil(bridge.url, 503);
    expect(failing).toMatchObject({
      ok: false,
      checks: {
        store: { ok: true },
        teams: { ok: false, oldestQueuedSeconds: expect.any(Number), reason: expect.stringContaining('longer than READYZ_MAX_OUTBOX_AGE (2 s)') },
        clicksend: { ok: true, reachable: true },
      },
    });
    expect((failing.checks as { teams: { oldestQueuedSeconds: number } }).teams.oldestQueuedSeconds).toBeGreaterThanOrEqual(2);
    // Teams refused every attempt, and each retry put the row off to a later time: counted from
    // its next attempt, the post would never look late.
    expect(bridge.connector.attempts.filter((a) => a.status === 500).length).toBeGreaterThanOrEqual(1);
    const db = new Database(path, { readonly: true });
    const row = db.prepare<[], { attempts: number; due_at: number; created_at: number }>("SELECT attempts, due_at, created_at FROM outbox WHERE status IN ('pending', 'claimed')").get();
    db.close();
    expect(row?.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.due_at).toBeGreaterThan(row!.created_at);
    // Once for the outage, not at every poll.
    await readyzUntil(bridge.url, 503);
    expect(bridge.logs().match(/"msg":"not ready"/g)).toHaveLength(1);

    bridge.connector.clearFailures();
    await until(() => postedSms(bridge.connector).length === 1, 'the post once Teams takes posts again', 30_000);
    expect(await readyzUntil(bridge.url, 200)).toMatchObject({ ok: true, checks: { store: { ok: true }, teams: { ok: true, oldestQueuedSeconds: 0 } } });
    expect(bridge.logs()).toMatch(/"msg":"ready again"/);
  });
});

describe('GET /readyz with PostgreSQL', () => {
  it('answers 503 with the store reason and store_up 0 while the database is read-only (a replica after a failover), 200 once it takes writes', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const store = await openPostgresStore({ url: database.url, logger: silentLogger });
    const bridge = await startTestBridge({
      deps: { store },
      cleanup: (stop) =>
        onTestFinished(async () => {
          await stop();
          await store.close();
          await database.drop();
        }),
    });
    expect((await readyz(bridge.url)).status).toBe(200);
    expect((await scrapeMetrics(bridge.url)).value('bridge_store_up')).toBe(1);

    // New sessions start read-only; the bridge's own connections are ended so that it makes new ones.
    const setReadOnly = (on: boolean) =>
      withAdmin(async (client) => {
        await client.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      });
    await setReadOnly(true);
    const failing = await until(async () => {
      const answer = await readyz(bridge.url);
      const store = (answer.body.checks as { store: { ok: boolean; reason?: string } }).store;
      return answer.status === 503 && store.reason?.includes('25006') ? answer.body : undefined;
    }, 'the store to be reported read-only');
    expect(failing).toMatchObject({ ok: false, checks: { store: { ok: false, reason: expect.stringContaining('read-only') } } });
    // A read still passes: only the write probe tells.
    await expect(store.ping()).resolves.toBeUndefined();
    await until(async () => (await scrapeMetrics(bridge.url)).value('bridge_store_up') === 0, 'store_up 0');

    await setReadOnly(false);
    expect(await readyzUntil(bridge.url, 200)).toMatchObject({ ok: true, checks: { store: { ok: true } } });
    await until(async () => (await scrapeMetrics(bridge.url)).value('bridge_store_up') === 1, 'store_up 1');
  });
});

describe('GET /readyz while ClickSend cannot be reached', () => {
  it('reports ClickSend unreachable, from a check it makes itself, and stays 200', async () => {
    const bridge = await startTestBridge({ env: { CLICKSEND_API_URL: 'http://127.0.0.1:1/v3' } });
    const first = await readyz(bridge.url);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ checks: { clicksend: { ok: true, reachable: null } } });
    const answer = await until(async () => {
      const next = await readyz(bridge.url);
      return (next.body.checks as { clicksend: { reachable: boolean | null } }).clicksend.reachable === false ? next : undefined;
    }, 'the check of ClickSend');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      checks: { clicksend: { ok: true, reachable: false, checkedAt: expect.any(String), reason: expect.stringContaining('ECONNREFUSED') } },
    });
    // One check a minute at most, however often /readyz is polled.
    const calls = (await scrapeMetrics(bridge.url)).sum('bridge_clicksend_requests_total');
    expect(calls).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect((await readyz(bridge.url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await scrapeMetrics(bridge.url)).sum('bridge_clicksend_requests_total')).toBe(calls);
  });
});
