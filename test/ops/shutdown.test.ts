import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestBridge, TEST_WEBHOOK_TOKEN } from '../helpers/bridge.js';
import { customerNumber, linkChannel, postedSms, pushSms, until } from '../helpers/relay-traffic.js';

/**
 * app.close(grace) with Teams posts under way. The store is PostgreSQL given to the app, so it
 * stays open after close for the test to look into the outbox.
 */
const startHeldBridge = async () => {
  const bridge = await startTestBridge({ webhooks: true, database: { engine: 'postgres' } });
  await linkChannel(bridge.url, bridge.connector);
  bridge.connector.hold();
  return bridge;
};

describe('closing the app (graceful shutdown)', () => {
  it('lets a webhook push whose body is still arriving finish, and stores it', async () => {
    const bridge = await startTestBridge({ webhooks: true, database: { engine: 'postgres' } });
    const body = JSON.stringify({ message_id: 'IN-SLOW-1', from: customerNumber(3), to: '+61480000099', body: 'slow', timestamp: 1_700_000_000 });
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(`${bridge.url}/webhooks/clicksend/inbound?token=${TEST_WEBHOOK_TOKEN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closing = bridge.app.close(5_000);
    expect(await answer).toBe(200);
    await closing;
    // Closed once the request was answered, not when the grace ran out.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await bridge.app.store.getInbound('IN-SLOW-1')).toMatchObject({ body: 'slow' });
  });

  it('lets the Teams post under way finish and records it done before closing', async () => {
    const bridge = await startHeldBridge();
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    await until(() => bridge.connector.held === 1, 'the post to reach Teams');
    const closing = bridge.app.close(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Closed to new connections at once.
    await expect(fetch(`${bridge.url}/healthz`)).rejects.toThrow();
    bridge.connector.release();
    await closing;
    expect(postedSms(bridge.connector)).toHaveLength(1);
    expect(await bridge.app.store.outboxStats()).toMatchObject({ pending: 0, waiting: 0, parked: 0 });
  });

  it('puts back a row whose post had not started, so that it is neither posted nor parked', async () => {
    const bridge = await startHeldBridge();
    // Two customers in one channel: the second waits for the channel's turn behind the first.
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    expect(await pushSms(bridge.url, 2, 1)).toBe(200);
    await until(() => bridge.connector.held === 1, 'the first post to reach Teams');
    const closing = bridge.app.close(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    bridge.connector.release();
    await closing;
    expect(postedSms(bridge.connector).map((p) => p.customer)).toEqual([1]);
    expect(bridge.connector.held).toBe(0);
    expect(await bridge.app.store.outboxStats()).toMatchObject({ pending: 1, parked: 0 });
    expect(bridge.logs()).not.toContain(customerNumber(2));
  });

  it('puts back a post Teams has not answered within the grace, marked so that its next post owns up to a possible repeat', async () => {
    const bridge = await startHeldBridge();
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    await until(() => bridge.connector.held === 1, 'the post to reach Teams');
    const started = Date.now();
    await bridge.app.close(300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await bridge.app.store.outboxStats()).toMatchObject({ pending: 1, parked: 0 });
    expect(bridge.logs()).toMatch(/shutdown cut a teams post short; it will be posted again marked as a possible repeat/);
    const [next] = await bridge.app.store.claimOutbox('next-start', 1, 60_000);
    expect(next).toMatchObject({ maybePosted: true, attempts: 1 });
    bridge.connector.drop();
  });
});
