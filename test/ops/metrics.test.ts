import { describe, expect, it } from 'vitest';
import { textMessage } from '../helpers/activities.js';
import { startTestBridge, TEST_WEBHOOK_TOKEN } from '../helpers/bridge.js';
import { scrapeMetrics } from '../helpers/metrics.js';
import { customerNumber, linkChannel, postedSms, pushSms, smsBody, until } from '../helpers/relay-traffic.js';

const webhook = (bridgeUrl: string, path: 'inbound' | 'receipts', body: string, token = TEST_WEBHOOK_TOKEN) =>
  fetch(`${bridgeUrl}/webhooks/clicksend/${path}?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.status;
    },
  );

describe('GET /metrics', () => {
  it('counts webhook pushes stored, repeated and refused, by webhook, outcome and status', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const other = await startTestBridge({ webhooks: true });
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    expect(await pushSms(bridge.url, 1, 2)).toBe(200);
    expect(await webhook(bridge.url, 'inbound', JSON.stringify({ message_id: 'X' }))).toBe(400);
    expect(await webhook(bridge.url, 'inbound', '{}', 'not-the-token-0123456789abcdef0123')).toBe(401);
    const receipt = { message_id: 'NOT-OURS', status_code: 201, status_text: 'Delivered' };
    expect(await webhook(bridge.url, 'receipts', JSON.stringify(receipt))).toBe(200);
    expect(await webhook(bridge.url, 'receipts', JSON.stringify({ ...receipt, status_code: 302 }))).toBe(400);

    const scrape = await scrapeMetrics(bridge.url);
    const received = (kind: string, outcome: string) => scrape.value('bridge_webhook_received_total', { kind, outcome });
    expect(received('inbound', 'stored')).toBe(2);
    expect(received('inbound', 'duplicate')).toBe(1);
    expect(received('receipt', 'not_ours')).toBe(1);
    expect(received('receipt', 'applied')).toBe(0);
    expect(scrape.value('bridge_webhook_rejected_total', { kind: 'inbound', status: '400' })).toBe(1);
    expect(scrape.value('bridge_webhook_rejected_total', { kind: 'inbound', status: '401' })).toBe(1);
    expect(scrape.value('bridge_webhook_rejected_total', { kind: 'receipt', status: '400' })).toBe(1);
    // Each app has a registry of its own: the other bridge saw nothing.
    expect((await scrapeMetrics(other.url)).sum('bridge_webhook_received_total')).toBe(0);
  });

  it('shows the version and the process metrics, and never a number, a text or a token', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await pushSms(bridge.url, 7, 1);
    const scrape = await scrapeMetrics(bridge.url);
    expect(scrape.samples.find((s) => s.name === 'bridge_build_info')?.labels.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(scrape.sum('bridge_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(scrape.text).not.toContain(customerNumber(7).slice(1));
    expect(scrape.text).not.toContain(smsBody(7, 1));
    expect(scrape.text).not.toContain(TEST_WEBHOOK_TOKEN);
  });

  it('shows rows waiting for a link, rows in line and the age of the oldest; /readyz fails when it is too old', async () => {
    const bridge = await startTestBridge({ webhooks: true, env: { READYZ_MAX_OUTBOX_AGE: '1' } });
    await linkChannel(bridge.url, bridge.connector);
    expect(await pushSms(bridge.url, 1, 1, '+61480000099')).toBe(200);
    await until(async () => (await scrapeMetrics(bridge.url)).value('bridge_outbox_rows', { state: 'waiting' }) === 1, 'a row waiting for a link');
    let scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_outbox_rows', { state: 'pending' })).toBe(0);
    expect(scrape.value('bridge_outbox_oldest_age_seconds')).toBe(0);
    expect(scrape.value('bridge_store_up')).toBe(1);

    // Teams takes the post but does not answer: the row stays in line and grows old.
    bridge.connector.hold();
    expect(await pushSms(bridge.url, 2, 1)).toBe(200);
    await until(() => bridge.connector.held === 1, 'the post to reach Teams');
    const late = await until(async () => {
      const answer = await fetch(`${bridge.url}/readyz`);
      return answer.status === 503 ? ((await answer.json()) as unknown) : undefined;
    }, '/readyz to fail');
    expect(late).toMatchObject({ ok: false, checks: { store: { ok: true }, teams: { ok: false, oldestQueuedSeconds: expect.any(Number) } } });
    scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_outbox_rows', { state: 'pending' })).toBe(1);
    expect(scrape.value('bridge_outbox_oldest_age_seconds')).toBeGreaterThan(1);

    bridge.connector.release();
    await until(() => postedSms(bridge.connector).length === 1, 'the post');
    await until(async () => (await fetch(`${bridge.url}/readyz`)).status === 200, '/readyz to recover');
    expect(await (await fetch(`${bridge.url}/readyz`)).json()).toMatchObject({ ok: true, checks: { teams: { ok: true } } });
    scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_outbox_rows', { state: 'pending' })).toBe(0);
    expect(scrape.value('bridge_outbox_rows', { state: 'waiting' })).toBe(1);
  });

  it('times Teams posts by operation and outcome and counts the 429s', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await linkChannel(bridge.url, bridge.connector);
    bridge.connector.failNext({ status: 429, retryAfter: 1 });
    expect(await pushSms(bridge.url, 1, 1)).toBe(200);
    await until(() => postedSms(bridge.connector).length === 1, 'the first text', 15_000);
    expect(await pushSms(bridge.url, 1, 2)).toBe(200);
    await until(() => postedSms(bridge.connector).length === 2, 'the second text');

    const scrape = await scrapeMetrics(bridge.url);
    const calls = (operation: string, outcome: string) => scrape.value('bridge_teams_request_duration_seconds_count', { operation, outcome });
    expect(calls('createThread', 'throttled')).toBe(1);
    expect(calls('createThread', 'ok')).toBe(1);
    expect(calls('post', 'ok')).toBe(1);
    expect(scrape.value('bridge_teams_throttled_total', { operation: 'createThread' })).toBe(1);
    expect(scrape.value('bridge_teams_throttled_total', { operation: 'post' })).toBe(0);
    expect(scrape.sum('bridge_teams_request_duration_seconds_sum', { operation: 'post' })).toBeGreaterThan(0);
  });

  it('counts ClickSend calls by operation and result, and the messages sent by channel', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'sms 0411 111 111 Running 10 min late'));
    await bridge.connector.waitForCalls(1);
    await bridge.post(textMessage(bridge.connector.url, 'contacts 999999'));
    await bridge.connector.waitForCalls(2);

    const scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_clicksend_requests_total', { operation: 'sms.send', result: 'ok' })).toBe(1);
    expect(scrape.value('bridge_clicksend_messages_total', { channel: 'sms', result: 'accepted' })).toBe(1);
    expect(scrape.value('bridge_clicksend_messages_total', { channel: 'sms', result: 'refused' })).toBeUndefined();
    expect(scrape.value('bridge_clicksend_requests_total', { operation: 'contacts.list', result: 'http_4xx' })).toBe(1);
    expect(scrape.text).not.toContain('61411111111');
  });
});
