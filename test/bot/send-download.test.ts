import { describe, expect, it } from 'vitest';
import { executeAction } from '../helpers/activities.js';
import { cardText, startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';
import { until } from '../helpers/relay-traffic.js';

/**
 * A send card shows its first 20 recipients; with PUBLIC_URL and AUDIT_LINK_SECRET it offers a
 * signed one-hour link to the CSV of all of them, with their statuses and ClickSend's reasons.
 */

const AUDIT_LINK_SECRET = 'audit-link-secret-0123456789abcdef0123456789';

const receipt = (bridge: TestBridge, body: Record<string, unknown>) =>
  fetch(`${bridge.url}/webhooks/clicksend/receipts?token=${TEST_WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A contact list of `count` numbers in the sandbox, sent one SMS from the card `cardId`; the card it answered with. */
const sendToList = async (bridge: TestBridge, count: number, cardId: string): Promise<Record<string, unknown>> => {
  const clicksend = bridge.app.clicksend!;
  const list = await clicksend.lists.create({ list_name: 'Everyone' });
  for (let i = 0; i < count; i += 1) {
    await clicksend.contacts.create(list.list_id, { phone_number: `+614${String(10_000_000 + i)}`, first_name: `C${i}` });
  }
  const data = { to: '', body: 'Store closes early today', custom_string: '', list_id: String(list.list_id), confirmed: '1' };
  const answer = await bridge.post(executeAction(bridge.connector.url, cardId, 'sms.send', data));
  expect(answer.status).toBe(200);
  return (answer.body as { value: Record<string, unknown> }).value;
};

const downloadOf = (card: Record<string, unknown>) =>
  ((card.actions ?? []) as { type: string; title: string; url: string }[]).find((a) => a.type === 'Action.OpenUrl');

describe('downloading every recipient of a send', () => {
  it('offers a signed link on the card of a list send of 30, whose CSV has every recipient with its status and reason', { timeout: 30_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, env: { AUDIT_LINK_SECRET }, sandbox: { receiptDelayMs: 3_600_000 } });
    const first = await sendToList(bridge, 30, 'list-card-1');
    expect(cardText(first)).toContain('and 10 more recipients');
    const offered = downloadOf(first);
    expect(offered?.title).toBe('Download all recipients (CSV)');
    expect(offered!.url.startsWith(`${bridge.url}/exports/send.csv?send=`)).toBe(true);
    expect(offered!.url).not.toContain(AUDIT_LINK_SECRET);

    const sent = bridge.sandbox.state.messages.filter((m) => m.type === 'sms');
    expect(sent).toHaveLength(30);
    for (const [i, m] of sent.entries()) {
      await receipt(
        bridge,
        i % 10 === 0
          ? { message_id: m.messageId, status: 'Undelivered', status_code: 301, error_text: 'Number disconnected' }
          : { message_id: m.messageId, status: 'Delivered', status_code: 201 },
      );
    }
    const updated = await until(
      () =>
        bridge.connector
          .cards()
          .find((c) => c.call.method === 'PUT' && c.call.activityId === 'list-card-1' && cardText(c.card).includes('Delivered 27 · Failed 3 · Pending 0')),
      'the card with every receipt',
      15_000,
    );
    const url = downloadOf(updated.card)!.url;

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = (await response.text()).trimEnd().split('\r\n');
    expect(header).toBe('recipient,message_id,status,reason,parts,price,currency');
    expect(rows).toHaveLength(30);
    const byId = new Map(rows.map((row) => [row.split(',')[1], row]));
    for (const [i, m] of sent.entries()) {
      const row = byId.get(m.messageId);
      expect(row, m.messageId).toBeDefined();
      expect(row!.startsWith(`${m.to},${m.messageId},`)).toBe(true);
      expect(row).toMatch(i % 10 === 0 ? /,failed,Number disconnected,1,0\.\d{4},AUD$/ : /,delivered,,1,0\.\d{4},AUD$/);
    }

    // The link names its send: pointed at another, it is refused.
    const moved = new URL(url);
    moved.searchParams.set('send', 'another-send');
    const refused = await fetch(moved);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: expect.any(String) });
  });

  it('offers no link without AUDIT_LINK_SECRET, and the card says it shows the first 20', { timeout: 30_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true, sandbox: { receiptDelayMs: 3_600_000 } });
    const card = await sendToList(bridge, 25, 'list-card-2');
    expect(downloadOf(card)).toBeUndefined();
    expect(cardText(card)).toContain('and 5 more recipients: the card shows the first 20');
  });
});
