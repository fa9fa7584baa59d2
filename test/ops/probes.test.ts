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
  it('answers 200 {"ok":true} while the store answers and nothing in the outbox is late', async () => {
    const bridge = await startTestBridge();
    const answer = await get(`${bridge.url}/readyz`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ ok: true });
  });

  it('answers 503 with the reason "store" once the store does not answer, while /metrics says store_up 0', async () => {
    const bridge = await startTestBridge();
    await bridge.app.store.close();
    const answer = await get(`${bridge.url}/readyz`);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.text)).toEqual({ ok: false, reason: 'store' });
    expect(bridge.logs()).toMatch(/readiness check: the store did not answer/);
    const scrape = await scrapeMetrics(bridge.url);
    expect(scrape.value('bridge_store_up')).toBe(0);
    expect(scrape.samples.filter((s) => s.name === 'bridge_outbox_rows')).toEqual([]);
    expect((await get(`${bridge.url}/healthz`)).status).toBe(200);
  });
});
