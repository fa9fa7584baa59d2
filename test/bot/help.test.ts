import { describe, expect, it } from 'vitest';
import { botAdded, executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, inputIds, startTestBridge } from '../helpers/bridge.js';

describe('help and forms through /api/messages', () => {
  it('answers help with a card listing every command', async () => {
    const bridge = await startTestBridge();
    const answer = await bridge.post(textMessage(bridge.connector.url, 'help'));
    expect(answer.status).toBe(200);
    const [call] = await bridge.connector.waitForCalls(1);
    expect(call?.conversationId).toBe('a:personal-chat-1');
    const text = cardText(bridge.connector.cards()[0]?.card);
    for (const usage of ['sms <to> <text>', 'mms', 'voice <to> <text>', 'fax <to> <pdf_url>', 'letter', 'postcard', 'lists [<search>]', 'list create <name>', 'list delete <list_id>', 'contacts <list_id>', 'contact add [<list_id>]', 'contact delete <list_id> <contact_id>', 'upload <fax|mms|post|postcard|csv>']) {
      expect(text).toContain(usage);
    }
  });

  it('understands commands after an @mention in a channel and in a group chat, in any case', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'HELP', 'channel'));
    await bridge.post(textMessage(bridge.connector.url, 'Help', 'groupChat'));
    const calls = await bridge.connector.waitForCalls(2);
    expect(calls.map((c) => c.conversationId)).toEqual(['19:sales@thread.tacv2;messageid=1700000000000', '19:group-chat-1@thread.v2']);
    expect(cardText(bridge.connector.cards()[1]?.card)).toContain('sms <to> <text>');
  });

  it('opens the SMS form with the contract input ids when sms is typed alone', async () => {
    const bridge = await startTestBridge();
    await bridge.app.clicksend!.lists.create({ list_name: 'VIP customers' });
    await bridge.post(textMessage(bridge.connector.url, 'sms'));
    await bridge.connector.waitForCalls(1);
    const card = bridge.connector.cards()[0]?.card;
    expect(inputIds(card)).toEqual(expect.arrayContaining(['to', 'list_id', 'body', 'custom_string']));
    expect(executeActions(card).map((a) => a.verb)).toContain('sms.send');
  });

  it('opens a form from a help button through an Action.Execute invoke', async () => {
    const bridge = await startTestBridge();
    const answer = await bridge.post(executeAction(bridge.connector.url, 'help-card-1', 'form.open', { form: 'voice' }));
    expect(answer.status).toBe(200);
    await bridge.connector.waitForCalls(1);
    expect(inputIds(bridge.connector.cards()[0]?.card)).toEqual(
      expect.arrayContaining(['to', 'body', 'lang', 'voice', 'require_input', 'machine_detection', 'custom_string']),
    );
  });

  it('says which word it did not understand', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'frobnicate now'));
    await bridge.connector.waitForCalls(1);
    expect(cardText(bridge.connector.cards()[0]?.card)).toContain('frobnicate');
  });

  it('welcomes a team once however often Teams reports the install', async () => {
    const bridge = await startTestBridge();
    await bridge.post(botAdded(bridge.connector.url, 'channel'));
    await bridge.post(botAdded(bridge.connector.url, 'channel'));
    await bridge.connector.waitForCalls(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bridge.connector.calls).toHaveLength(1);
    expect(await bridge.app.store.getConversation('19:team-general@thread.tacv2')).toMatchObject({ kind: 'channel', teamId: '19:team-general@thread.tacv2' });
  });
});
