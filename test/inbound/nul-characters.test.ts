import { describe, expect, it } from 'vitest';
import { startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';
import { FORM_TYPE, INBOUND, JSON_TYPE, RECEIPTS, form } from './harness.js';

/**
 * PostgreSQL's text and jsonb cannot hold U+0000, SQLite's can: a push with one would be stored
 * on one engine and answered 503 forever on the other (ClickSend pushing it again and again).
 * A lone surrogate became one U+FFFD on PostgreSQL and three on SQLite. The push schemas turn
 * each into U+FFFD, so both engines store the same thing.
 */

const ENGINES = ['sqlite', 'postgres'] as const;
const NUL = '\u0000';
const REPLACED = '\uFFFD';
const LONE_SURROGATE = '\ud800';

const push = async (bridge: TestBridge, path: string, contentType: string, body: string) => {
  const response = await fetch(`${bridge.url}${path}?token=${TEST_WEBHOOK_TOKEN}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe.each(ENGINES)('a push holding U+0000 on %s', (engine) => {
  it('is answered 200 and stored with U+FFFD in its place, in every text field, JSON or form (a lone surrogate too)', async () => {
    const bridge = await startTestBridge({ webhooks: true, database: { engine } });
    const json = {
      message_id: 'NUL-JSON-1',
      from: '+61429912603',
      to: '+61477485926',
      body: `before${NUL}after${NUL} 😀`,
      timestamp: 1775012927,
      original_message_id: 'NUL-ORIGINAL-1',
      original_body: `${NUL}earlier${LONE_SURROGATE}`,
      custom_string: `ref${NUL}1`,
    };
    expect(await push(bridge, INBOUND, JSON_TYPE, JSON.stringify(json))).toEqual({ status: 200, body: { ok: true } });
    expect(await bridge.app.store.getInbound('NUL-JSON-1')).toMatchObject({
      body: `before${REPLACED}after${REPLACED} 😀`,
      originalBody: `${REPLACED}earlier${REPLACED}`,
      customString: `ref${REPLACED}1`,
    });

    const fields = { ...json, message_id: 'NUL-FORM-1', body: `form${NUL}text` };
    expect((await push(bridge, INBOUND, FORM_TYPE, form(fields))).status).toBe(200);
    expect((await bridge.app.store.getInbound('NUL-FORM-1'))?.body).toBe(`form${REPLACED}text`);
  });

  it('is a receipt answered 200, its status text stored with U+FFFD in place', async () => {
    const bridge = await startTestBridge({ webhooks: true, database: { engine } });
    await bridge.app.store.recordOutbound({
      messageId: 'NUL-OUT-1',
      ourNumber: '+61477485926',
      customerNumber: '+61429912603',
      body: 'See you at 3',
      sentBy: 'Alex',
      status: 'queued',
      createdAt: new Date(),
    });
    const receipt = { message_id: 'NUL-OUT-1', status_code: 301, status_text: 'Failed', error_text: `Handset${NUL}unreachable` };
    expect((await push(bridge, RECEIPTS, JSON_TYPE, JSON.stringify(receipt))).status).toBe(200);
    expect(await bridge.app.store.getOutbound('NUL-OUT-1')).toMatchObject({ status: 'failed', statusText: `Handset${REPLACED}unreachable` });
    // A receipt for a message that is not ours still binds its text: it must not fail either.
    expect((await push(bridge, RECEIPTS, JSON_TYPE, JSON.stringify({ ...receipt, message_id: 'NOT-OURS' }))).status).toBe(200);
  });
});
