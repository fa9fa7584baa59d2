import { describe, expect, it } from 'vitest';
import { TENANT, textMessage, USER } from '../helpers/activities.js';
import { cardText, executeCard, startTestBridge, TEST_WEBHOOK_TOKEN, type TestBridge } from '../helpers/bridge.js';

const ADMIN_ENV = { ADMIN_USER_IDS: USER.aadObjectId };
const AUDIT_LINK_SECRET = 'audit-link-secret-0123456789abcdef0123456789';
const LINKS_ENV = { ...ADMIN_ENV, AUDIT_LINK_SECRET };

const click = async (bridge: TestBridge, verb: string, data: Record<string, unknown>): Promise<string> => cardText(await executeCard(bridge, verb, data));

/** Types `text` and returns the activity the bot answered with (card and attachments). */
const say = async (bridge: TestBridge, text: string, from = USER) => {
  const before = bridge.connector.calls.length;
  expect((await bridge.post({ ...textMessage(bridge.connector.url, text), from })).status).toBe(200);
  const calls = await bridge.connector.waitForCalls(before + 1);
  return calls[before]!.body as { attachments: { contentType: string; content?: Record<string, unknown>; contentUrl?: string; name?: string }[] };
};

const csvOf = (activity: Awaited<ReturnType<typeof say>>): string => {
  const file = activity.attachments.find((a) => a.contentType === 'text/csv');
  if (!file?.contentUrl) throw new Error('no CSV attached');
  return Buffer.from(file.contentUrl.replace(/^data:text\/csv;base64,/, ''), 'base64').toString('utf8');
};

describe('the audit log', () => {
  it('records each send with who, tenant, recipients, message ids and price, and nothing for a refused one', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV });
    await click(bridge, 'sms.send', { to: '+61411111111', body: 'Running late' });
    await click(bridge, 'sms.send', { to: 'not a number', body: 'x' });
    const [entry, ...rest] = await bridge.app.store.listAudit(new Date(0));
    expect(rest).toEqual([]);
    const sent = bridge.sandbox.state.messages[0]!;
    expect(entry).toMatchObject({
      action: 'sms.send',
      tenantId: TENANT,
      userId: USER.aadObjectId,
      userName: USER.name,
      recipients: 1,
      messageIds: [sent.messageId],
      currency: 'AUD',
    });
    expect(Number(entry!.price)).toBeGreaterThan(0);
    expect(JSON.stringify(entry)).not.toContain('Running late');
  });

  it('records list and contact changes and links with the ids they touched', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV });
    expect(await click(bridge, 'list.create', { list_name: 'VIP' })).toContain('List created');
    const list = (await bridge.app.clicksend!.lists.list({ page: 1 })).data[0]!;
    expect(await click(bridge, 'contact.create', { list_id: String(list.list_id), phone_number: '+61411111111', first_name: 'Vi' })).toContain('Contact added');
    const contact = (await bridge.app.clicksend!.contacts.list(list.list_id, { page: 1 })).data[0]!;
    await click(bridge, 'contact.delete', { list_id: String(list.list_id), contact_id: String(contact.contact_id) });
    await click(bridge, 'list.delete', { list_id: String(list.list_id) });
    const entries = await bridge.app.store.listAudit(new Date(0));
    expect(entries.map((e) => [e.action, e.messageIds])).toEqual([
      ['list.create', [String(list.list_id)]],
      ['contact.create', [String(contact.contact_id)]],
      ['contact.delete', [String(contact.contact_id)]],
      ['list.delete', [String(list.list_id)]],
    ]);
  });

  it('answers `audit` with the entries on a card and every entry in an attached CSV', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV });
    await click(bridge, 'sms.send', { to: '+61411111111', body: 'One' });
    await click(bridge, 'sms.send', { to: '+61411111112', body: 'Two' });
    const answer = await say(bridge, 'audit');
    const card = answer.attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')!.content!;
    const text = cardText(card);
    expect(text).toContain('Audit: the last 7 days');
    expect(text).toContain('2 entries since');
    expect(text).toContain('2 (2 recipients)');
    expect(text).toContain(USER.name);
    const csv = csvOf(answer).trimEnd().split('\r\n');
    expect(csv[0]).toBe('id,at,tenant_id,user_id,user_name,conversation_id,action,recipients,message_ids,price,currency,detail');
    expect(csv).toHaveLength(3);
    const ids = bridge.sandbox.state.messages.map((m) => m.messageId);
    expect(csv[1]).toContain(`,${USER.aadObjectId},${USER.name},`);
    expect(csv[1]).toContain(`,sms.send,1,${ids[0]},`);
    expect(csv[2]).toContain(`,sms.send,1,${ids[1]},`);
  });

  it('reads the number of days and refuses a number it cannot use', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV });
    expect(cardText((await say(bridge, 'audit 1')).attachments[0]!.content!)).toContain('Nothing was sent or changed since');
    expect(cardText((await say(bridge, 'audit 0')).attachments[0]!.content!)).toContain('audit <days> with 1 to 366 days');
    expect(cardText((await say(bridge, 'audit lots')).attachments[0]!.content!)).toContain('How many days?');
  });

  it('shows the audit to admins only', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV });
    const other = { ...USER, id: '29:other', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
    const answer = await say(bridge, 'audit', other);
    expect(cardText(answer.attachments[0]!.content!)).toContain('`audit` needs the admin role');
    expect(answer.attachments.some((a) => a.contentType === 'text/csv')).toBe(false);
  });
});

describe('audit downloads', () => {
  const downloadOf = (activity: { attachments: { content?: Record<string, unknown> }[] }): string => {
    const actions = (activity.attachments[0]!.content!.actions ?? []) as { type: string; url: string }[];
    const open = actions.find((a) => a.type === 'Action.OpenUrl');
    if (!open) throw new Error('no download button');
    return open.url;
  };

  it('offers a signed link that downloads every entry as CSV, from the bridge public URL', async () => {
    const bridge = await startTestBridge({ env: LINKS_ENV, webhooks: true });
    await click(bridge, 'sms.send', { to: '+61411111111', body: 'One' });
    const answer = await say(bridge, 'audit 2');
    const url = downloadOf(answer);
    expect(url.startsWith(`${bridge.url}/exports/audit.csv?`)).toBe(true);
    expect(url).not.toContain(TEST_WEBHOOK_TOKEN);
    expect(url).not.toContain(AUDIT_LINK_SECRET);
    expect(answer.attachments.some((a) => a.contentType === 'text/csv')).toBe(false);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-since-\d{4}-\d\d-\d\d\.csv"$/);
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(bridge.sandbox.state.messages[0]!.messageId);
  });

  it('refuses a link whose range or signature was changed, and an incomplete one', async () => {
    const bridge = await startTestBridge({ env: LINKS_ENV, webhooks: true });
    await click(bridge, 'sms.send', { to: '+61411111111', body: 'One' });
    const url = new URL(downloadOf(await say(bridge, 'audit 2')));
    const widened = new URL(url);
    widened.searchParams.set('since', '0');
    expect((await fetch(widened)).status).toBe(403);
    const forged = new URL(url);
    forged.searchParams.set('sig', url.searchParams.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    expect((await fetch(forged)).status).toBe(403);
    const partial = new URL(url);
    partial.searchParams.delete('expires');
    const answer = await fetch(partial);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error: expect.stringContaining('ask the bot for a new one') });
  });

  it('has no download link without AUDIT_LINK_SECRET (not even with the webhook token), and the route says what it needs', async () => {
    const bridge = await startTestBridge({ env: ADMIN_ENV, webhooks: true });
    await click(bridge, 'sms.send', { to: '+61411111111', body: 'One' });
    const answer = await say(bridge, 'audit');
    expect(() => downloadOf(answer as never)).toThrow('no download button');
    expect(answer.attachments.some((a) => a.contentType === 'text/csv')).toBe(true);
    const response = await fetch(`${bridge.url}/exports/audit.csv?since=0&until=1&expires=2&sig=x`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.stringContaining('PUBLIC_URL and AUDIT_LINK_SECRET') });
  });
});
