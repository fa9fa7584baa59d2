import { describe, expect, it } from 'vitest';
import { FORM_TYPE, JSON_TYPE, NOW, RECEIPTS, fixture, form, startWebhooks } from './harness.js';

const receipt = Object.fromEntries(new URLSearchParams(fixture('receipt.form.txt')));
const OURS = '1F12D717-0C44-4B8E-8E57-1D2F3C4B5A61';

describe('POST /webhooks/clicksend/receipts', () => {
  it('applies the form receipt fixture (201) as delivered, received now', async () => {
    const hooks = await startWebhooks();
    hooks.sink.ours.add(OURS);
    const answer = await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: fixture('receipt.form.txt') });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.receipts).toEqual([
      { messageId: OURS, status: 'delivered', statusText: 'Success: Message received on handset.', receivedAt: NOW },
    ]);
  });

  it('marks a 301 receipt failed with ClickSend\'s error text', async () => {
    const hooks = await startWebhooks();
    const body = form({ ...receipt, status_code: '301', status_text: 'Failed', error_code: '5', error_text: 'Handset unreachable' });
    expect((await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body })).status).toBe(200);
    expect(hooks.sink.receipts[0]).toMatchObject({ status: 'failed', statusText: 'Handset unreachable' });
  });

  it('keeps a 300 receipt as sent, saying that ClickSend retries', async () => {
    const hooks = await startWebhooks();
    const body = form({ ...receipt, status_code: '300', status_text: 'Temporary failure', error_text: 'Network busy' });
    await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body });
    expect(hooks.sink.receipts[0]?.status).toBe('sent');
    expect(hooks.sink.receipts[0]?.statusText).toMatch(/ClickSend is retrying: Network busy/);
  });

  it('reads a 200 receipt as sent, from JSON with a numeric status_code and null errors', async () => {
    const hooks = await startWebhooks();
    const body = JSON.stringify({ message_id: OURS, status_code: 200, status_text: 'Queued', error_code: null, error_text: null, custom_string: null });
    expect((await hooks.post(RECEIPTS, { contentType: JSON_TYPE, body })).status).toBe(200);
    expect(hooks.sink.receipts[0]).toEqual({ messageId: OURS, status: 'sent', statusText: 'Queued', receivedAt: NOW });
  });

  it('answers 200 to a receipt for a message that is not ours', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, message_id: 'NOT-OURS' }) });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.receipts.map((r) => r.messageId)).toEqual(['NOT-OURS']);
  });

  it('refuses a status_code ClickSend does not document, naming the field', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, status_code: '302' }) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ issues: [{ path: 'status_code', message: expect.stringContaining('200, 201, 300, 301') }] });
    expect(hooks.sink.receipts).toEqual([]);
  });

  it('refuses a receipt without message_id or status_code, naming both', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, message_id: '', status_code: '' }) });
    expect(answer.status).toBe(400);
    const issues = (answer.body as { issues: { path: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['message_id', 'status_code']);
  });

  it('answers 503 when the receipt cannot be applied', async () => {
    const hooks = await startWebhooks();
    hooks.sink.fail = new Error('connection refused');
    const answer = await hooks.post(RECEIPTS, { contentType: FORM_TYPE, body: fixture('receipt.form.txt') });
    expect(answer).toMatchObject({ status: 503, body: { error: expect.any(String) } });
  });
});
