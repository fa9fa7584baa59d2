import { describe, expect, it } from 'vitest';
import { executeAction, TENANT, textMessage, USER, type Scope } from '../helpers/activities.js';
import { cardText, executeCard, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const ADMIN = { id: '29:admin', name: 'Ada Admin', aadObjectId: '00000000-0000-0000-0000-00000000ad01' };
const SENDER = { id: '29:sender', name: 'Sam Sender', aadObjectId: '00000000-0000-0000-0000-000000005e01' };
const READER = { id: '29:reader', name: 'Rita Reader', aadObjectId: '00000000-0000-0000-0000-0000000000ee' };
const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';
type Person = typeof USER;

/** A bridge with one admin and one sender; READER is a member of the tenant with neither role. */
const rolesBridge = () =>
  startTestBridge({ env: { ADMIN_USER_IDS: ADMIN.aadObjectId, SENDER_USER_IDS: SENDER.aadObjectId, ALLOWED_TENANT_IDS: TENANT } });

const as = <A extends { from: unknown }>(activity: A, person: Person): A => ({ ...activity, from: person });

/** Types `text` as `person` and returns the text of the card the bot answered with. */
const say = async (bridge: TestBridge, person: Person, text: string, scope: Scope = 'personal'): Promise<string> => {
  const before = bridge.connector.cards().length;
  expect((await bridge.post(as(textMessage(bridge.connector.url, text, scope), person))).status).toBe(200);
  await bridge.connector.waitForCalls(before + 1);
  return cardText(bridge.connector.cards().at(-1)!.card);
};

/** Clicks a card button as `person`; returns the text of the card that replaced it. */
const click = async (bridge: TestBridge, person: Person, verb: string, data: Record<string, unknown>): Promise<string> =>
  cardText(await executeCard(bridge, verb, data, { from: person }));

describe('roles', () => {
  it('lets a sender text a number and refuses a member without the sender role, saying which role and which id to add', async () => {
    const bridge = await rolesBridge();
    expect(await say(bridge, SENDER, 'sms +61411111111 Running late')).toContain('+61411111111');
    const refused = await say(bridge, READER, 'sms +61411111111 Running late');
    expect(refused).toContain('Only senders can do this');
    expect(refused).toContain(READER.aadObjectId);
    expect(refused).toContain('SENDER_USER_IDS');
    expect(bridge.sandbox.state.messages.filter((m) => m.type === 'sms')).toHaveLength(1);
  });

  it('refuses a form submission from a member without the role before anything reaches ClickSend', async () => {
    const bridge = await rolesBridge();
    const text = await click(bridge, READER, 'sms.send', { to: '+61411111111', body: 'Hi' });
    expect(text).toContain('Sending an SMS needs the sender role');
    expect(bridge.sandbox.state.messages).toHaveLength(0);
  });

  it('keeps list sends, letters, postcards, deletes and links to admins', async () => {
    const bridge = await rolesBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Customers' });
    expect(await click(bridge, SENDER, 'sms.send', { list_id: String(list.list_id), body: 'Sale!' })).toContain('Sending to a whole contact list needs the admin role');
    expect(await say(bridge, SENDER, `sms list:${list.list_id} Sale!`)).toContain('Only admins can do this');
    expect(await say(bridge, SENDER, 'letter')).toContain('`letter` needs the admin role');
    expect(await click(bridge, SENDER, 'form.open', { form: 'postcard' })).toContain('Sending a postcard needs the admin role');
    expect(await click(bridge, SENDER, 'list.delete', { list_id: String(list.list_id) })).toContain('Deleting a contact list needs the admin role');
    expect(await say(bridge, SENDER, 'link +61480000000', 'channel')).toContain('ADMIN_USER_IDS');
    expect(await bridge.app.clicksend!.lists.get(list.list_id)).toMatchObject({ list_name: 'Customers' });
    expect(bridge.sandbox.state.messages).toHaveLength(0);

    expect(await click(bridge, ADMIN, 'sms.send', { list_id: String(list.list_id), body: 'Sale!' })).toContain('Send this SMS?');
    expect(await say(bridge, ADMIN, 'link +61480000000', 'channel')).toContain('Linked');
    expect(await click(bridge, ADMIN, 'list.delete', { list_id: String(list.list_id) })).toContain('List deleted');
  });

  it('lets every member of the tenant read lists and help, which says whose the other commands are', async () => {
    const bridge = await rolesBridge();
    expect(await say(bridge, READER, 'lists')).toContain('Contact lists (0)');
    const help = await say(bridge, READER, 'help');
    expect(help).toContain('sms <to> <text>');
    expect(help).toMatch(/Send an SMS[^\n]*\(senders only\)/);
    expect(help).toMatch(/letter[\s\S]*\(admins only\)/);
    const senderHelp = await say(bridge, SENDER, 'help');
    expect(senderHelp).not.toContain('(senders only)');
    expect(senderHelp).toContain('(admins only)');
    expect(await say(bridge, ADMIN, 'help')).not.toContain(' only)');
  });

  it('makes everyone an admin without MicrosoftAppId and ADMIN_USER_IDS (local development)', async () => {
    const bridge = await startTestBridge();
    expect(await say(bridge, READER, 'link +61480000000', 'channel')).toContain('Linked');
  });

  it('makes nobody an admin once ADMIN_USER_IDS is set, whatever Teams says about the user, unless listed', async () => {
    const bridge = await rolesBridge();
    const noId = { id: '29:no-aad', name: 'No Id', aadObjectId: undefined } as unknown as Person;
    expect(await say(bridge, noId, 'link +61480000000', 'channel')).toContain('Only admins can do this');
    // Teams sends object ids in lower case; the configured ones are compared the same way.
    expect(await say(bridge, { ...ADMIN, aadObjectId: ADMIN.aadObjectId.toUpperCase() }, 'link +61480000000', 'channel')).toContain('Linked');
  });
});

describe('tenants', () => {
  const foreign = <A extends { conversation: object; channelData: object }>(activity: A): A => ({
    ...activity,
    conversation: { ...activity.conversation, tenantId: OTHER_TENANT },
    channelData: { ...activity.channelData, tenant: { id: OTHER_TENANT } },
  });

  it('answers an activity from another tenant with a polite refusal and does nothing else', async () => {
    const bridge = await rolesBridge();
    const before = bridge.connector.cards().length;
    expect((await bridge.post(as(foreign(textMessage(bridge.connector.url, 'sms +61411111111 Hi')), ADMIN))).status).toBe(200);
    await bridge.connector.waitForCalls(before + 1);
    const text = cardText(bridge.connector.cards().at(-1)!.card);
    expect(text).toContain('This bot works for another organisation');
    expect(text).not.toContain(TENANT);
    const invoke = await bridge.post(as(foreign(executeAction(bridge.connector.url, 'card-1', 'sms.send', { to: '+61411111111', body: 'Hi' })), ADMIN));
    expect(cardText((invoke.body as { value: Record<string, unknown> }).value)).toContain('another organisation');
    expect(bridge.sandbox.state.messages).toHaveLength(0);
    expect(await bridge.app.store.listConversations()).toEqual([]);
    expect(await bridge.app.store.listAudit(new Date(0))).toEqual([]);
  });

  it('refuses every tenant that ALLOWED_TENANT_IDS does not name', async () => {
    const bridge = await startTestBridge({ env: { ALLOWED_TENANT_IDS: OTHER_TENANT } });
    expect(await say(bridge, USER, 'help')).toContain('another organisation');
  });
});
