import { describe, expect, it, type TestContext } from 'vitest';
import { createRelay } from '../../src/bridge/relay.js';
import { createHttpServer } from '../../src/http/server.js';
import { mountWebhookRoutes } from '../../src/inbound/routes.js';
import { silentLogger } from '../../src/log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { scrapeMetrics } from '../helpers/metrics.js';
import { FORM_TYPE, JSON_TYPE, NOW, TOKEN, VOICE_RECEIPTS, fixture, form, post, startWebhooks } from './harness.js';

const receipt = Object.fromEntries(new URLSearchParams(fixture('voice-receipt.form.txt')));
const OURS = '31BC271B-1E0C-45F6-9E7E-97186C46BB82';

const json = (fields: Record<string, unknown>) => ({ contentType: JSON_TYPE, body: JSON.stringify(fields) });

describe('POST /webhooks/clicksend/voice-receipts', () => {
  it('applies the form voice receipt fixture (Delivered, 201) as delivered, with the keys pressed', async () => {
    const hooks = await startWebhooks();
    hooks.sink.ours.add(OURS);
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: fixture('voice-receipt.form.txt') });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.receipts).toEqual([
      { messageId: OURS, status: 'delivered', statusText: 'Success: Message received on handset. (keys pressed: 2)', receivedAt: NOW },
    ]);
  });

  it.each([
    ['Undelivered with code 301', { status: 'Undelivered', status_code: '301', status_text: 'Failed', error_text: 'No answer' }, 'failed', 'No answer'],
    ['Undelivered without a code', { status: 'Undelivered', status_code: '', status_text: 'Call not answered' }, 'failed', 'Call not answered'],
    ['Undelivered without any text', { status: 'undelivered', status_code: '', status_text: '' }, 'failed', 'Undelivered'],
    ['Delivered without a code', { status: 'Delivered', status_code: '', status_text: 'Answered', digits: '' }, 'delivered', 'Answered'],
    ['code 200', { status: '', status_code: '200', status_text: 'Queued' }, 'sent', 'Queued'],
  ])('maps a voice receipt %s', async (_, fields, status, statusText) => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, digits: '', ...fields }) });
    expect(answer.status).toBe(200);
    expect(hooks.sink.receipts).toEqual([{ messageId: OURS, status, statusText, receivedAt: NOW }]);
  });

  it('keeps a code 300 receipt as sent, saying that ClickSend retries, whatever its status word', async () => {
    const hooks = await startWebhooks();
    await hooks.post(VOICE_RECEIPTS, json({ message_id: OURS, status: 'Undelivered', status_code: 300, error_text: 'Line busy' }));
    expect(hooks.sink.receipts[0]).toMatchObject({ status: 'sent', statusText: expect.stringMatching(/ClickSend is retrying: Line busy/) });
  });

  it.each([
    ['an undocumented code', { status_code: 402, status_text: 'Busy' }, ['402', 'Busy']],
    ['an unknown status word', { status: 'Ringing', status_text: 'Calling the handset' }, ['Ringing', 'Calling the handset']],
    ['a code that is not a number', { status_code: 'E7', error_text: 'Carrier said no' }, ['E7', 'Carrier said no']],
    ['the constructor key as its word', { status: 'constructor' }, ['constructor']],
  ])('takes %s as sent, keeping the raw status in the text, never refusing it', async (_, fields, kept) => {
    const hooks = await startWebhooks();
    hooks.sink.ours.add(OURS);
    const answer = await hooks.post(VOICE_RECEIPTS, json({ message_id: OURS, ...fields }));
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    const [applied] = hooks.sink.receipts;
    expect(applied?.status).toBe('sent');
    for (const text of kept) expect(applied?.statusText).toContain(text);
  });

  it('answers 200 to a voice receipt for a message that is not ours', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, message_id: 'NOT-OURS' }) });
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.sink.receipts.map((r) => r.messageId)).toEqual(['NOT-OURS']);
  });

  it.each([
    ['no token', null],
    ['a wrong token', TOKEN.replace(/.$/, '0')],
  ])('refuses a voice receipt with %s (401) and leaves the sink untouched', async (_, token) => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: fixture('voice-receipt.form.txt'), token });
    expect(answer).toMatchObject({ status: 401, body: { error: expect.any(String) } });
    expect(hooks.sink.receipts).toEqual([]);
  });

  it('answers 404 while WEBHOOK_TOKEN is unset', async () => {
    const hooks = await startWebhooks({ token: undefined });
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: fixture('voice-receipt.form.txt') });
    expect(answer).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    expect(hooks.sink.receipts).toEqual([]);
  });

  it('refuses a voice receipt without message_id or any status, naming the fields', async () => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: form({ ...receipt, message_id: '', status: '', status_code: '' }) });
    expect(answer).toMatchObject({ status: 400, body: { error: expect.stringContaining('voice receipt') } });
    const issues = (answer.body as { issues: { path: string }[] }).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['message_id', 'status_code']);
    expect(hooks.sink.receipts).toEqual([]);
  });

  it.each([
    ['a status_text over 1,000 characters', { message_id: OURS, status_code: 201, status_text: 'x'.repeat(1_001) }, 'status_text'],
    ['a status_code that is an object', { message_id: OURS, status_code: { code: 201 } }, 'status_code'],
    ['a status that is a list', { message_id: OURS, status: ['Delivered'] }, 'status'],
  ])('refuses %s with 400 and its issue', async (_, fields, path) => {
    const hooks = await startWebhooks();
    const answer = await hooks.post(VOICE_RECEIPTS, json(fields));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ issues: [{ path }] });
    expect(hooks.sink.receipts).toEqual([]);
  });

  it('answers 503 when the voice receipt cannot be applied', async () => {
    const hooks = await startWebhooks();
    hooks.sink.fail = new Error('connection refused');
    const answer = await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: fixture('voice-receipt.form.txt') });
    expect(answer).toMatchObject({ status: 503, body: { error: expect.any(String) } });
  });

  it('counts its refusals under kind voice_receipt', async () => {
    const hooks = await startWebhooks({ metrics: true });
    await hooks.post(VOICE_RECEIPTS, { contentType: FORM_TYPE, body: fixture('voice-receipt.form.txt'), token: null });
    await hooks.post(VOICE_RECEIPTS, json({ message_id: OURS }));
    const rejected = (status: string) => async () =>
      (await scrapeMetrics(hooks.url)).value('bridge_webhook_rejected_total', { kind: 'voice_receipt', status });
    await expect.poll(rejected('401')).toBe(1);
    await expect.poll(rejected('400')).toBe(1);
  });
});

/** The route in front of the real relay and an in-memory SQLite store, as the app wires them. */
const startWithStore = async ({ onTestFinished }: TestContext) => {
  const store = await openSqliteStore({ path: ':memory:', logger: silentLogger });
  const server = createHttpServer({ logger: silentLogger });
  mountWebhookRoutes(server, { token: TOKEN, sink: createRelay({ store, logger: silentLogger }), logger: silentLogger, now: () => NOW });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(async () => {
    server.server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  });
  const url = `http://127.0.0.1:${server.address().port}${VOICE_RECEIPTS}?token=${TOKEN}`;
  return { store, push: (body: string) => post(url, { contentType: FORM_TYPE, body }) };
};

describe('a voice receipt through the relay', () => {
  it('moves our voice message to delivered, then a late failed receipt of another call to failed', async (context) => {
    const { store, push } = await startWithStore(context);
    const base = { ourNumber: '+61480000000', customerNumber: '+61411111111', body: 'Your code is 1 2 3', sentBy: 'Ada', status: 'queued' as const };
    await store.recordOutbound({ ...base, messageId: OURS, createdAt: NOW });
    await store.recordOutbound({ ...base, messageId: 'VOICE-2', createdAt: NOW });

    expect(await push(fixture('voice-receipt.form.txt'))).toMatchObject({ status: 200, body: { ok: true } });
    expect(await store.getOutbound(OURS)).toMatchObject({ status: 'delivered', statusText: 'Success: Message received on handset. (keys pressed: 2)' });

    const failed = form({ ...receipt, message_id: 'VOICE-2', status: 'Undelivered', status_code: '301', error_text: 'No answer', digits: '' });
    expect((await push(failed)).status).toBe(200);
    expect(await store.getOutbound('VOICE-2')).toMatchObject({ status: 'failed', statusText: 'No answer' });
  });

  it('answers 200 to a voice receipt for an unknown message and stores nothing', async (context) => {
    const { store, push } = await startWithStore(context);
    expect(await push(form({ ...receipt, message_id: 'NOT-OURS' }))).toMatchObject({ status: 200, body: { ok: true } });
    expect(await store.getOutbound('NOT-OURS')).toBeUndefined();
  });
});
