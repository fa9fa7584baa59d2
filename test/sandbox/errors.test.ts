import { describe, expect, it } from 'vitest';
import { call, startSandbox } from './helpers.js';

describe('error envelopes', () => {
  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'GET', '/v3/no-such-thing');
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ http_code: 404, response_code: 'NOT_FOUND', data: null });
    expect(answer.body.response_msg).toEqual(expect.any(String));
  });

  it('answers 405 METHOD_NOT_ALLOWED with an Allow header for a known path and wrong method', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'DELETE', '/v3/sms/send');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.body).toMatchObject({ http_code: 405, response_code: 'METHOD_NOT_ALLOWED' });
  });

  it('answers 400 BAD_REQUEST for malformed JSON', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { rawBody: '{"messages": [', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ http_code: 400, response_code: 'BAD_REQUEST' });
    expect(answer.body.response_msg).toMatch(/^Malformed JSON/);
  });

  it('answers 413 for a body over the size limit', async () => {
    const sandbox = await startSandbox({ bodyLimitBytes: 1_000 });
    const answer = await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'x'.repeat(2_000) } });
    expect(answer.status).toBe(413);
    expect(answer.body.http_code).toBe(413);
  });

  it('answers 413 for a chunked body that grows over the size limit', async () => {
    const sandbox = await startSandbox({ bodyLimitBytes: 1_000 });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(100)));
        controller.close();
      },
    });
    const response = await fetch(`${sandbox.apiUrl}/lists`, {
      method: 'POST',
      body: chunks,
      headers: { authorization: `Basic ${Buffer.from('sandbox:sandbox-key').toString('base64')}` },
      duplex: 'half',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { response_code: string }).response_code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('tolerates a trailing slash on a route', async () => {
    const sandbox = await startSandbox();
    expect((await call(sandbox, 'GET', '/v3/account/')).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('is off by default', async () => {
    const sandbox = await startSandbox();
    const statuses = await Promise.all(Array.from({ length: 30 }, () => call(sandbox, 'GET', '/v3/account').then((a) => a.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it('answers 429 TOO_MANY_REQUESTS with Retry-After in seconds above the configured rate, per credentials', async () => {
    let now = 1_000_000;
    const sandbox = await startSandbox({ rateLimit: { requests: 2, windowMs: 10_000 }, now: () => now });
    expect((await call(sandbox, 'GET', '/v3/account')).status).toBe(200);
    now += 1_500;
    expect((await call(sandbox, 'GET', '/v3/account')).status).toBe(200);
    const limited = await call(sandbox, 'GET', '/v3/account');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('9');
    expect(limited.body).toMatchObject({ http_code: 429, response_code: 'TOO_MANY_REQUESTS' });

    const other = `Basic ${Buffer.from('nocredit:D83DED51-9E35-4D42-9BB9-0E34B7CA85AE').toString('base64')}`;
    expect((await call(sandbox, 'GET', '/v3/account', { auth: other })).status).toBe(200);

    now += 10_000;
    expect((await call(sandbox, 'GET', '/v3/account')).status).toBe(200);
  });
});

describe('simulation endpoints', () => {
  it('answer loopback callers without credentials, and reset clears the store', async () => {
    const sandbox = await startSandbox();
    await call(sandbox, 'POST', '/v3/sms/send', { body: { messages: [{ to: '+61411111111', body: 'x' }] } });
    await call(sandbox, 'POST', '/v3/mms/send', {
      body: { media_file: 'https://example.com/a.jpg', messages: [{ to: '+61411111111', subject: 's', body: 'x' }] },
    });
    const all = await call(sandbox, 'GET', '/_sandbox/messages', { auth: null });
    expect(all.body.messages.map((m: { type: string }) => m.type)).toEqual(['sms', 'mms']);
    const mms = await call(sandbox, 'GET', '/_sandbox/messages?type=mms', { auth: null });
    expect(mms.body).toMatchObject({ total: 1, messages: [{ type: 'mms', username: 'sandbox', subject: 's' }] });
    expect((await call(sandbox, 'GET', '/_sandbox/messages?type=pigeon', { auth: null })).status).toBe(400);

    expect((await call(sandbox, 'POST', '/_sandbox/reset', { auth: null })).body).toEqual({ reset: true });
    expect((await call(sandbox, 'GET', '/_sandbox/messages', { auth: null })).body).toEqual({ total: 0, messages: [] });
  });
});
