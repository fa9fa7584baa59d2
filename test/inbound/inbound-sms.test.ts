import { describe, expect, it } from 'vitest';
import type { InboundSms } from '../../src/store/relay.js';
import { FORM_TYPE, INBOUND, JSON_TYPE, NOW, fixture, form, startWebhooks } from './harness.js';

const json = JSON.parse(fixture('inbound-sms.json')) as Record<string, unknown>;

/** The fields of a fresh inbound SMS, each under its current name. */
const base = { message_id: 'MSG-1', from: '+61411111111', to: '+61422222222', body: 'Hello', timestamp: '1775012927' };

describe('POST /webhooks/clicksend/inbound', () => {
  it('stores the JSON push of a reply and answers 200 {"ok":true}', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: fixture('inbound-sms.json') });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.inbound).toEqual([
      {
        messageId: '1F12D781-6B1A-4E2C-9C0D-3A7B5E1F2A90',
        from: '+61429912603',
        to: '+61477485926',
        body: 'Is the 3pm slot still free?',
        sentAt: new Date(1775012927 * 1000),
        originalMessageId: '1F12D717-0C44-4B8E-8E57-1D2F3C4B5A61',
        originalBody: 'Your appointment is tomorrow at 2pm.',
        customString: undefined,
      },
    ]);
  });

  it('stores the form push, reading every value as a string and empty ones as absent', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: FORM_TYPE, body: fixture('inbound-sms.form.txt') });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.inbound).toEqual([
      {
        messageId: '1F12D7A2-2E6B-4F10-A1B2-C3D4E5F60718',
        from: '+61429912603',
        to: '+61477485926',
        body: 'Thanks!',
        sentAt: new Date(1775012999 * 1000),
        originalMessageId: undefined,
        originalBody: undefined,
        customString: undefined,
      },
    ]);
  });

  it('accepts a content type with a UTF-8 charset parameter in any case', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(INBOUND, { contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8', body: form(base) });
    expect(answer.status).toBe(200);
  });

  it.each<[string, string, string, keyof InboundSms]>([
    ['from', 'sms', '+61433333333', 'from'],
    ['to', 'originalsenderid', '+61444444444', 'to'],
    ['body', 'message', 'Via the old name', 'body'],
    ['original_message_id', 'originalmessageid', 'ORIG-9', 'originalMessageId'],
    ['original_body', 'originalmessage', 'Our earlier text', 'originalBody'],
    ['custom_string', 'customstring', 'ref-42', 'customString'],
  ])('reads %s from its alias %s alone', async (name, alias, value, property) => {
    const hooks = await startWebhooks();
    const fields: Record<string, string> = { ...base };
    delete fields[name];
    fields[alias] = value;
    for (const [contentType, body] of [
      [FORM_TYPE, form(fields)],
      [JSON_TYPE, JSON.stringify(fields)],
    ] as const) {
      expect((await hooks.post(INBOUND, { contentType, body })).status).toBe(200);
    }
    expect(hooks.sink.inbound.map((sms) => sms[property])).toEqual([value, value]);
  });

  it('prefers the current name when an alias disagrees with it', async () => {
    const hooks = await startWebhooks();
    await hooks.post(INBOUND, { contentType: JSON_TYPE, body: JSON.stringify({ ...base, sms: '+61499999999', message: 'old' }) });
    expect(hooks.sink.inbound[0]).toMatchObject({ from: '+61411111111', body: 'Hello' });
  });

  it('reads a JSON timestamp given as a string, and JSON nulls as absent', async () => {
    const hooks = await startWebhooks();
    const body = JSON.stringify({ ...json, timestamp: '1775012927', original_body: null, custom_string: null });
    expect((await hooks.post(INBOUND, { contentType: JSON_TYPE, body })).status).toBe(200);
    expect(hooks.sink.inbound[0]).toMatchObject({ sentAt: new Date(1775012927 * 1000), originalBody: undefined, customString: undefined });
  });

  it('takes the time of receipt when the push has no timestamp', async () => {
    const hooks = await startWebhooks();
    const { timestamp: _, ...untimed } = base;
    await hooks.post(INBOUND, { contentType: FORM_TYPE, body: form(untimed) });
    expect(hooks.sink.inbound[0]?.sentAt).toEqual(NOW);
  });

  it('reads numbers without their + (an unencoded + in a form body arrives as a space) as E.164', async () => {
    const hooks = await startWebhooks();
    const body = `message_id=M2&from=+61411111111&to=61422222222&body=Hi&timestamp=1775012927`;
    expect((await hooks.post(INBOUND, { contentType: FORM_TYPE, body })).status).toBe(200);
    expect(hooks.sink.inbound[0]).toMatchObject({ from: '+61411111111', to: '+61422222222' });
  });

  it('relays a blank SMS as an empty body', async () => {
    const hooks = await startWebhooks();
    expect((await hooks.post(INBOUND, { contentType: FORM_TYPE, body: form({ ...base, body: '', message: '' }) })).status).toBe(200);
    expect(hooks.sink.inbound[0]?.body).toBe('');
  });

  it('answers a repeated message_id 200 too, passing it to the sink which stores it once', async () => {
    const hooks = await startWebhooks();
    const first = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: fixture('inbound-sms.json') });
    const again = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: fixture('inbound-sms.json') });
    expect([first, again].map((a) => [a.status, a.body])).toEqual([
      [200, { ok: true }],
      [200, { ok: true }],
    ]);
    expect(hooks.sink.inbound).toHaveLength(2);
    expect(hooks.sink.seen.size).toBe(1);
  });

  it('answers 503 and stores nothing when the sink fails, so that ClickSend may push again', async () => {
    const hooks = await startWebhooks();
    hooks.sink.fail = new Error('database is locked');
    const answer = await hooks.post(INBOUND, { contentType: JSON_TYPE, body: fixture('inbound-sms.json') });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: expect.any(String) });
    expect(JSON.stringify(answer.body)).not.toContain('database is locked');
  });
});
