import { describe, expect, it } from 'vitest';
import { FORM_TYPE, INBOUND, JSON_TYPE, RECEIPTS, TOKEN, fixture, startWebhooks } from './harness.js';

describe('webhook logs', () => {
  it('never contain the token, a full phone number or the text, whatever the outcome', async () => {
    const hooks = await startWebhooks({ captureLogs: true });
    const wrong = `${TOKEN.slice(0, -4)}WXYZ`;
    const inbound = fixture('inbound-sms.json');
    const statuses = [
      (await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inbound })).status,
      (await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inbound, token: wrong })).status,
      (await hooks.post(INBOUND, { contentType: 'text/plain', body: inbound })).status,
      (await hooks.post(INBOUND, { contentType: JSON_TYPE, body: '{' })).status,
      (await hooks.post(INBOUND, { contentType: JSON_TYPE, body: 'x'.repeat(70_000) })).status,
      (await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: fixture('receipt.form.txt') })).status,
    ];
    hooks.sink.fail = new Error('store down');
    statuses.push((await hooks.post(INBOUND, { contentType: JSON_TYPE, body: inbound })).status);
    expect(statuses).toEqual([200, 401, 415, 400, 413, 200, 503]);

    const logs = hooks.logs();
    expect(logs).toContain('"route":"/webhooks/clicksend/inbound"');
    expect(logs).toContain('"messageId":"1F12D781-6B1A-4E2C-9C0D-3A7B5E1F2A90"');
    expect(logs).toContain('+61******603');
    for (const secret of [TOKEN, wrong, 'token=', '61429912603', '61477485926', 'Is the 3pm slot']) {
      expect(logs).not.toContain(secret);
    }
  });

  it('name the refused caller by address once it is limited or outside the allow-list, without its guesses', async () => {
    const hooks = await startWebhooks({ captureLogs: true, allowedIps: ['127.0.0.0/8', '203.0.113.0/24'], trustProxy: true });
    const guesses = Array.from({ length: 12 }, (_, i) => `guess-${i}-${'g'.repeat(30)}`);
    for (const token of guesses) await hooks.post(INBOUND, { contentType: JSON_TYPE, body: '{}', token, headers: { 'x-forwarded-for': '203.0.113.5' } });
    await hooks.post(INBOUND, { contentType: JSON_TYPE, body: '{}', headers: { 'x-forwarded-for': '198.51.100.7' } });
    const logs = hooks.logs();
    expect(logs.match(/webhook caller limited after repeated wrong tokens/g)).toHaveLength(1);
    expect(logs).toContain('"clientAddress":"203.0.113.5"');
    expect(logs).toMatch(/"code":"ERR_WEBHOOK_FORBIDDEN".*"clientAddress":"198\.51\.100\.7"/);
    for (const secret of [...guesses, TOKEN, 'token=']) expect(logs).not.toContain(secret);
  });
});
