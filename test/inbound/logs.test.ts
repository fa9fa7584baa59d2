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
});
