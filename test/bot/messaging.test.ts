import { describe, expect, it } from 'vitest';
import { executeAction, submitAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const TEST_KEY = 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE';

type InvokeAnswer = { statusCode: number; type: string; value: Record<string, unknown> };

const invoke = async (bridge: TestBridge, verb: string, data: Record<string, unknown>, replyToId = 'form-card-1') => {
  const answer = await bridge.post(executeAction(bridge.connector.url, replyToId, verb, data));
  expect(answer.status).toBe(200);
  return (answer.body as InvokeAnswer).value;
};

const sentSms = (bridge: TestBridge) => bridge.sandbox.state.messages.filter((m) => m.type === 'sms');

describe('sms', () => {
  it('sends at once with sms <to> <text> and answers with id, status, parts and price', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'sms 0411 111 111 Running 10 min late'));
    await bridge.connector.waitForCalls(1);
    const [message] = sentSms(bridge);
    expect(message).toMatchObject({ to: '+61411111111', body: 'Running 10 min late' });
    const result = cardText(bridge.connector.cards()[0]?.card);
    expect(result).toContain('SMS sent');
    expect(result).toContain(message!.messageId);
    expect(result).toMatch(/\$0\.\d{4} AUD/);
  });

  it('reads a quoted number and the text after it', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'sms "+61 422 222 222" 42 is the answer'));
    await bridge.connector.waitForCalls(1);
    expect(sentSms(bridge)[0]).toMatchObject({ to: '+61422222222', body: '42 is the answer' });
  });

  it('acts on every command typed in one thread, though they share the thread root as replyToId', async () => {
    const bridge = await startTestBridge();
    for (const text of ['sms +61411111111 first', 'sms +61411111111 second']) {
      await bridge.post({ ...textMessage(bridge.connector.url, text, 'channel'), replyToId: '1700000000000' });
    }
    await bridge.connector.waitForCalls(2);
    expect(sentSms(bridge).map((m) => m.body)).toEqual(['first', 'second']);
  });

  it('keeps the line breaks and spacing of a multi-line text', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'sms +61411111111 Line one\nLine  two'));
    await bridge.connector.waitForCalls(1);
    expect(sentSms(bridge)[0]?.body).toBe('Line one\nLine  two');
  });

  it('sends the form once, replacing it with the result card, however often it is submitted', async () => {
    const bridge = await startTestBridge();
    const data = { to: '+61411111111', body: 'Your order is ready', custom_string: 'order-77', list_id: '' };
    const [first, second] = await Promise.all([invoke(bridge, 'sms.send', data), invoke(bridge, 'sms.send', data)]);
    const third = await invoke(bridge, 'sms.send', data);
    expect(sentSms(bridge)).toHaveLength(1);
    expect(sentSms(bridge)[0]).toMatchObject({ customString: 'order-77' });
    const texts = [first, second, third].map(cardText);
    expect(texts.filter((t) => t.includes('SMS sent')).length).toBeGreaterThanOrEqual(2);
    expect(texts[2]).toContain('SMS sent');
  });

  it('gives the form back with the problem under each input and sends nothing', async () => {
    const bridge = await startTestBridge();
    const card = await invoke(bridge, 'sms.send', { to: '12', body: '', custom_string: '' });
    const text = cardText(card);
    expect(text).toMatch(/too short|not a valid number/);
    expect(text).toContain('The message is empty.');
    expect(executeActions(card).map((a) => a.verb)).toContain('sms.send');
    expect(sentSms(bridge)).toHaveLength(0);

    const fixed = await invoke(bridge, 'sms.send', { to: '+61411111111', body: 'Fixed now' });
    expect(cardText(fixed)).toContain('SMS sent');
    expect(sentSms(bridge)).toHaveLength(1);
  });

  it('refuses a text over 8 parts before calling ClickSend', async () => {
    const bridge = await startTestBridge();
    const card = await invoke(bridge, 'sms.send', { to: '+61411111111', body: 'x'.repeat(1300) });
    expect(cardText(card)).toMatch(/8 parts/);
    expect(sentSms(bridge)).toHaveLength(0);
  });

  it('asks before sending to a whole list, showing the price, and sends only on Confirm', async () => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Customers' });
    for (const phone of ['+61411111111', '+61422222222', '+61433333333']) {
      await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: phone });
    }
    const confirm = await invoke(bridge, 'sms.send', { list_id: String(list.list_id), body: 'Sale today', to: '' });
    expect(cardText(confirm)).toMatch(/\$\d+\.\d+ AUD/);
    expect(sentSms(bridge)).toHaveLength(0);

    const button = executeActions(confirm).find((a) => a.verb === 'sms.send');
    const result = await invoke(bridge, button!.verb, button!.data);
    expect(sentSms(bridge)).toHaveLength(3);
    expect(cardText(result)).toContain('3 SMS sent');
    await invoke(bridge, button!.verb, button!.data);
    expect(sentSms(bridge)).toHaveLength(3);
  });

  it('sends to list:<id> from the command after the confirmation', async () => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Team' });
    await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: '+61411111111' });
    await bridge.post(textMessage(bridge.connector.url, `sms list:${list.list_id} Meeting at 3`));
    await bridge.connector.waitForCalls(1);
    const confirm = bridge.connector.cards()[0]!;
    const button = executeActions(confirm.card).find((a) => a.verb === 'sms.send')!;
    expect(sentSms(bridge)).toHaveLength(0);
    await invoke(bridge, button.verb, button.data, confirm.call.id);
    expect(sentSms(bridge)).toHaveLength(1);
  });

  it('shows per-recipient refusals with ClickSend status when the account has no credit', async () => {
    const bridge = await startTestBridge({ env: { CLICKSEND_USERNAME: 'nocredit', CLICKSEND_API_KEY: TEST_KEY } });
    const card = await invoke(bridge, 'sms.send', { to: '+61411111111', body: 'Hi' });
    const text = cardText(card);
    expect(text).toContain('INSUFFICIENT_CREDIT');
    expect(text).toContain('no credit');
  });

  it('explains a refused API key with ClickSend own code, and never shows the key', async () => {
    const bridge = await startTestBridge({ env: { CLICKSEND_API_KEY: 'wrong-key-123456' } });
    const card = await invoke(bridge, 'sms.send', { to: '+61411111111', body: 'Hi' });
    const text = cardText(card);
    expect(text).toContain('UNAUTHORIZED');
    expect(JSON.stringify(card)).not.toContain('wrong-key-123456');
    expect(bridge.logs()).not.toContain('wrong-key-123456');
  });

  it('explains that ClickSend is not set up when no credentials are configured', async () => {
    const bridge = await startTestBridge({ clicksend: false });
    const card = await invoke(bridge, 'sms.send', { to: '+61411111111', body: 'Hi' });
    expect(cardText(card)).toContain('CLICKSEND_USERNAME');
  });

  it('updates the clicked card in place for an Action.Submit', async () => {
    const bridge = await startTestBridge();
    await bridge.post(submitAction(bridge.connector.url, 'card-activity-9', { verb: 'sms.send', to: '+61411111111', body: 'Via submit' }));
    const [call] = await bridge.connector.waitForCalls(1);
    expect(call).toMatchObject({ method: 'PUT', activityId: 'card-activity-9' });
    expect(cardText(bridge.connector.cards()[0]?.card)).toContain('SMS sent');
  });
});

describe('mms, voice and fax', () => {
  it('sends an MMS from the form with subject and picture', async () => {
    const bridge = await startTestBridge();
    const card = await invoke(bridge, 'mms.send', {
      to: '+61411111111',
      subject: 'Your plan',
      body: 'See attached',
      media_file: 'https://files.example.com/plan.jpg',
    });
    expect(cardText(card)).toContain('MMS sent');
    expect(bridge.sandbox.state.messages.filter((m) => m.type === 'mms')).toHaveLength(1);
  });

  it('refuses an MMS subject over 20 characters and an http picture URL', async () => {
    const bridge = await startTestBridge();
    const card = await invoke(bridge, 'mms.send', { to: '+61411111111', subject: 'x'.repeat(21), body: 'Hi', media_file: 'http://files.example.com/a.jpg' });
    const text = cardText(card);
    expect(text).toMatch(/20/);
    expect(text).toMatch(/https/);
    expect(bridge.sandbox.state.messages).toHaveLength(0);
  });

  it('calls with the configured default voice from the command', async () => {
    const bridge = await startTestBridge({ env: { VOICE_LANG: 'en-gb', VOICE_GENDER: 'male' } });
    await bridge.post(textMessage(bridge.connector.url, 'voice +61411111111 Your code is 1 2 3'));
    await bridge.connector.waitForCalls(1);
    const [call] = bridge.sandbox.state.messages.filter((m) => m.type === 'voice');
    expect(call?.record).toMatchObject({ lang: 'en-gb', voice: 'male' });
    expect(cardText(bridge.connector.cards()[0]?.card)).toContain('Voice call made');
  });

  it('passes the voice form options through as 0/1 flags', async () => {
    const bridge = await startTestBridge();
    await invoke(bridge, 'voice.send', { to: '+61411111111', body: 'Press 1', lang: 'en-au', voice: 'female', require_input: '1', machine_detection: '0' });
    const [call] = bridge.sandbox.state.messages.filter((m) => m.type === 'voice');
    expect(call?.record).toMatchObject({ require_input: 1, machine_detection: 0 });
  });

  it('faxes a PDF from the command and counts its pages', async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'fax +61261111111 https://files.example.com/contract.pdf'));
    await bridge.connector.waitForCalls(1);
    const text = cardText(bridge.connector.cards()[0]?.card);
    expect(text).toContain('Fax sent');
    expect(text).toMatch(/pages/i);
  });
});
