import { describe, expect, it } from 'vitest';
import { FORM_TYPE, INBOUND, JSON_TYPE, RECEIPTS, fixture, form, startWebhooks } from './harness.js';

const push = JSON.parse(fixture('inbound-sms.json')) as Record<string, unknown>;

describe('webhook JSON limits', () => {
  it.each([INBOUND, RECEIPTS])('answers 400 with a specific error on %s to a body nested deeper than 4 levels', async (path) => {
    const hooks = await startWebhooks();
    const body = JSON.stringify({ ...push, extra: { a: { b: { c: {} } } } });
    const answer = await hooks.post(path, { contentType: JSON_TYPE, body });
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'the JSON is nested deeper than 4 levels', issues: [{ path: 'extra.a.b.c', message: expect.any(String) }] },
    });
    expect([...hooks.sink.inbound, ...hooks.sink.receipts]).toEqual([]);
  });

  it('answers 400 to 60,000 brackets, well inside 64 KiB', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: `${'['.repeat(30_000)}${']'.repeat(30_000)}` });
    expect(answer).toMatchObject({ status: 400, body: { error: 'the JSON is nested deeper than 4 levels' } });
  });

  it('answers 400 to an unknown field holding more than 10,000 characters, in JSON or a form', async () => {
    const hooks = await startWebhooks();
    const json = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: JSON.stringify({ ...push, note: 'x'.repeat(10_001) }) });
    expect(json).toMatchObject({ status: 400, body: { error: 'a string is longer than 10000 characters', issues: [{ path: 'note' }] } });
    const fields = Object.fromEntries(Object.entries(push).map(([k, v]) => [k, String(v)]));
    const posted = await hooks.post(INBOUND, { contentType: FORM_TYPE, body: form({ ...fields, note: 'y'.repeat(10_001) }) });
    expect(posted).toMatchObject({ status: 400, body: { issues: [{ path: 'note' }] } });
    expect(hooks.sink.inbound).toEqual([]);
  });

  it('still takes a push with a nested field ClickSend might add, within 4 levels', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: JSON.stringify({ ...push, meta: { tags: [{ a: 1 }] } }) });
    expect(answer.status).toBe(200);
  });
});
