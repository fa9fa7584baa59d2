import { describe, expect, it } from 'vitest';
import { FORM_TYPE, INBOUND, JSON_TYPE, RECEIPTS, TOKEN, fixture, startWebhooks } from './harness.js';

const LIMIT = 64 * 1024;
const inboundJson = fixture('inbound-sms.json');

/**
 * The JSON fixture with `padding_<n>` fields that make it exactly `bytes` long; each field stays
 * under the 10,000-character string limit, so only the size decides.
 */
const paddedJson = (bytes: number): string => {
  const push = JSON.parse(inboundJson) as Record<string, unknown>;
  const pads: Record<string, string> = {};
  for (let i = 0; Buffer.byteLength(JSON.stringify({ ...push, ...pads })) < bytes; i += 1) {
    pads[`padding_${i}`] = '';
    const missing = bytes - Buffer.byteLength(JSON.stringify({ ...push, ...pads }));
    pads[`padding_${i}`] = 'x'.repeat(Math.max(0, Math.min(missing, 8_000)));
  }
  const padded = JSON.stringify({ ...push, ...pads });
  expect(Buffer.byteLength(padded)).toBe(bytes);
  return padded;
};

describe('webhook refusals', () => {
  it.each([INBOUND, RECEIPTS])('answers 404 with a JSON body on %s while WEBHOOK_TOKEN is unset', async (path) => {
    const hooks = await startWebhooks({ token: undefined });
    for (const token of [null, TOKEN, '']) {
      const answer = await hooks.post(path, { contentType: JSON_TYPE, body: inboundJson, token });
      expect(answer).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    }
    expect([...hooks.sink.inbound, ...hooks.sink.receipts]).toEqual([]);
  });

  it.each([
    ['no token', null],
    ['an empty token', ''],
    ['a wrong token of the same length', TOKEN.replace(/.$/, '0')],
    ['a prefix of the token', TOKEN.slice(0, -1)],
    ['the token plus a character', `${TOKEN}x`],
  ])('refuses a webhook with %s (401) and leaves the sink untouched', async (_, token) => {
    const hooks = await startWebhooks();
    for (const path of [INBOUND, RECEIPTS]) {
      const answer = await hooks.post(path, { contentType: FORM_TYPE, body: fixture('receipt.form.txt'), token });
      expect(answer).toMatchObject({ status: 401, body: { error: expect.any(String) } });
    }
    expect([...hooks.sink.inbound, ...hooks.sink.receipts]).toEqual([]);
  });

  it.each([undefined, 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/jsonx', 'constructor', '__proto__'])(
    'answers 415 to the content type %s',
    async (contentType) => {
      const hooks = await startWebhooks();
      const answer = await hooks.post(INBOUND, { contentType, body: inboundJson });
      expect(answer).toMatchObject({ status: 415, body: { error: expect.any(String) } });
      expect(hooks.sink.inbound).toEqual([]);
    },
  );

  it('accepts a push of exactly 64 KiB', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: paddedJson(LIMIT) });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('answers 413 to a push of 64 KiB + 1 byte and closes the connection', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: paddedJson(LIMIT + 1) });
    expect(answer).toMatchObject({ status: 413, body: { error: expect.any(String) } });
    expect(answer.headers.connection).toBe('close');
    expect(hooks.sink.inbound).toEqual([]);
  });

  it('answers 413 to a chunked push without Content-Length once it passes 64 KiB', async () => {
    const hooks = await startWebhooks();
    const body = paddedJson(LIMIT + 1);
    const chunks = [body.slice(0, 30_000), body.slice(30_000, 60_000), body.slice(60_000)];
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, chunks });
    expect(answer.status).toBe(413);
    expect(hooks.sink.inbound).toEqual([]);
  });

  it('accepts a chunked push of exactly 64 KiB', async () => {
    const hooks = await startWebhooks();
    const body = paddedJson(LIMIT);
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, chunks: [body.slice(0, 40_000), body.slice(40_000)] });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['malformed JSON', JSON_TYPE, '{"message_id": "x",'],
    ['a JSON array', JSON_TYPE, '[]'],
    ['invalid UTF-8', JSON_TYPE, Buffer.from([0x7b, 0xff, 0x7d])],
    ['an empty body', JSON_TYPE, ''],
  ])('answers 400 with issues to %s', async (_, contentType, body) => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType, body });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: expect.any(String), issues: [{ path: expect.any(String), message: expect.any(String) }] });
    expect(hooks.sink.inbound).toEqual([]);
  });

  it('answers 400 naming every missing required field, with the aliases it also takes', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: FORM_TYPE, body: 'timestamp=1775012927&user_id=1' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: expect.any(String),
      issues: expect.arrayContaining([
        { path: 'message_id', message: 'required' },
        { path: 'from', message: 'required (sent as from or sms)' },
        { path: 'to', message: 'required (sent as to or originalsenderid)' },
        { path: 'body', message: 'required (sent as body or message)' },
      ]),
    });
  });

  it.each([
    ['a national number', { from: '0411111111' }, 'from'],
    ['an alphanumeric sender', { from: 'ACME' }, 'from'],
    ['a timestamp that is not a number', { timestamp: 'yesterday' }, 'timestamp'],
    ['a body over 5,000 characters', { body: 'x'.repeat(5_001) }, 'body'],
    ['a message_id over 100 characters', { message_id: 'M'.repeat(101) }, 'message_id'],
    ['a message_id with spaces', { message_id: 'a b' }, 'message_id'],
    ['a number where text belongs', { body: 42 }, 'body'],
  ])('answers 400 to %s, naming the field', async (_, change, path) => {
    const hooks = await startWebhooks();
    const body = JSON.stringify({ ...(JSON.parse(inboundJson) as object), ...change });
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body });
    expect(answer.status).toBe(400);
    expect((answer.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([path]);
  });
});
