import { describe, expect, it } from 'vitest';
import { startTestBridge } from '../helpers/bridge.js';
import { scrapeMetrics } from '../helpers/metrics.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), text };
};

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers 401 without the bearer token or with a wrong one, and the metrics with the right one', async () => {
    const bridge = await startTestBridge({ env: { METRICS_TOKEN } });
    for (const headers of [{} as Record<string, string>, { authorization: `Bearer ${METRICS_TOKEN}x` }, { authorization: METRICS_TOKEN }, { authorization: 'Bearer ' }]) {
      const answer = await get(`${bridge.url}/metrics`, headers);
      expect(answer.status).toBe(401);
      expect(answer.type).toMatch(/^application\/json/);
      expect(JSON.parse(answer.text)).toEqual({ error: expect.stringContaining('Bearer') });
      expect(answer.text).not.toContain('bridge_');
    }
    const scrape = await scrapeMetrics(bridge.url, METRICS_TOKEN);
    expect(scrape.value('bridge_store_up')).toBe(1);
  });

  it('answers without a token when METRICS_TOKEN is unset', async () => {
    const bridge = await startTestBridge();
    expect((await get(`${bridge.url}/metrics`)).status).toBe(200);
  });
});

describe('GET /readyz', () => {
  it('answers 200 with each check while the store takes writes and nothing in the outbox is late', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const answer = await get(`${bridge.url}/readyz`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({
      ok: true,
      checks: {
        store: { ok: true },
        teams: { ok: true, oldestQueuedSeconds: 0 },
        // The credentials check at start was the last call to ClickSend.
        clicksend: { ok: true, reachable: true, checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      },
    });
  });

  it('reports ClickSend as not configured without credentials, and ready all the same', async () => {
    const bridge = await startTestBridge({ clicksend: false });
    const answer = await get(`${bridge.url}/readyz`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({
      ok: true,
      checks: { clicksend: { ok: true, reachable: null, checkedAt: null, reason: expect.stringContaining('CLICKSEND_API_KEY') } },
    });
  });

  it('answers 503 with the store reason once the store does not answer, while /metrics says store_up 0', async () => {
    const bridge = await startTestBridge();
    await bridge.app.store.close();
    const answer = await get(`${bridge.url}/readyz`);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toMatchObject({
      ok: false,
      checks: { store: { ok: false, reason: 'the store did not answer' }, teams: { ok: false, reason: expect.stringContaining('outbox') } },
    });
    expect(bridge.logs()).toMatch(/"msg":"not ready"/);
    const scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_store_up')).toBe(0);
    expect(scrape.samples.filter((s) => s.name === 'bridge_outbox_rows')).toEqual([]);
    expect((await get(`${bridge.url}/healthz`)).status).toBe(200);
  });
});
