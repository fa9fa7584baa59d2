import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { scrapeMetrics, type Scrape } from '../helpers/metrics.js';
import { INBOUND, JSON_TYPE, TOKEN, fixture, startWebhooks, type Harness } from './harness.js';

const inboundJson = fixture('inbound-sms.json');
const REJECTED = 'bridge_webhook_rejected_total';

/** Opens a raw connection and sends the headers of a push and the first half of its body. */
const startPush = async (hooks: Harness): Promise<{ socket: Socket; answer: Promise<string> }> => {
  const { port } = new URL(hooks.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
  });
  socket.write(
    [
      `POST ${INBOUND}?token=${TOKEN} HTTP/1.1`,
      'Host: 127.0.0.1',
      `Content-Type: ${JSON_TYPE}`,
      `Content-Length: ${Buffer.byteLength(inboundJson)}`,
      '',
      inboundJson.slice(0, 40),
    ].join('\r\n'),
  );
  return { socket, answer };
};

/** Scrapes until `ready` holds (the refusal is counted once the connection has closed). */
const scrapeUntil = async (url: string, ready: (scrape: Scrape) => boolean): Promise<Scrape> => {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const scrape = await scrapeMetrics(url);
    if (ready(scrape) || Date.now() > deadline) return scrape;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** pino's numeric levels of the captured lines, and whether any carries a stack. */
const logLevels = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; err?: { stack?: string } });

describe('a webhook body that never ends', () => {
  it('is counted as a 499 refusal when the client goes away mid-body, logged once below error without a stack', async () => {
    const hooks = await startWebhooks({ captureLogs: true, metrics: true });
    const { socket, answer } = await startPush(hooks);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await answer;

    const scrape = await scrapeUntil(hooks.url, (s) => s.sum(REJECTED) > 0);
    expect(scrape.sum(REJECTED)).toBe(1);
    expect(scrape.value(REJECTED, { kind: 'inbound', status: '499' })).toBe(1);
    const lines = logLevels(hooks.logs());
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.err?.stack !== undefined)).toEqual([]);
    expect(hooks.logs().match(/ERR_WEBHOOK_ABORTED/g)).toHaveLength(1);
    expect(hooks.sink.inbound).toEqual([]);
  });

  it('is answered and counted 408 when the rest of the body does not come within the request timeout', async () => {
    const hooks = await startWebhooks({ captureLogs: true, metrics: true, timeouts: { headersMs: 300, requestMs: 300, checkEveryMs: 50 } });
    const { answer } = await startPush(hooks);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);

    const scrape = await scrapeUntil(hooks.url, (s) => s.sum(REJECTED) > 0);
    expect(scrape.sum(REJECTED)).toBe(1);
    expect(scrape.value(REJECTED, { kind: 'inbound', status: '408' })).toBe(1);
    const lines = logLevels(hooks.logs());
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.err?.stack !== undefined)).toEqual([]);
    expect(hooks.logs().match(/ERR_WEBHOOK_BODY_TIMEOUT/g)).toHaveLength(1);
    expect(hooks.sink.inbound).toEqual([]);
  });
});
