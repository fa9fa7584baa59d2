import { describe, expect, it } from 'vitest';
import { cardText, executeCard, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { POSTAL_ADDRESS } from '../helpers/postal.js';
import { recordClickSend } from '../properties/recorder.js';

const address = POSTAL_ADDRESS;

const submit = (bridge: TestBridge, verb: string, data: Record<string, unknown>) => executeCard(bridge, verb, data);

// Found by the card-submission property: ids were coerced, so `true` read as list 1.
describe('ids in tampered card submissions', () => {
  it.each([
    ['contact.create', 'list_id', { phone_number: '+61411111111' }],
    ['letter.price', 'return_address_id', { file_url: 'https://files.example.com/a.pdf', colour: '0', duplex: '0', ...address }],
  ])('gives the %s form back for a %s that is not text or a whole number, and calls ClickSend for nothing', async (verb, input, rest) => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ deps: { clicksendDispatcher: recorder.dispatcher } });
    for (const value of [true, [5], ['7'], { id: 1 }, 1.5]) {
      const card = await submit(bridge, verb, { ...rest, [input]: value });
      expect(cardText(card), JSON.stringify(value)).toMatch(/expected an id|whole number|positive/i);
    }
    expect(recorder.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('sends no SMS to a list_id that is not text or a whole number', async () => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ deps: { clicksendDispatcher: recorder.dispatcher } });
    await bridge.app.clicksend!.lists.create({ list_name: 'Customers' });
    for (const value of [true, [5], { id: 1 }]) {
      const card = await submit(bridge, 'sms.send', { body: 'Hello', list_id: value, confirmed: '1' });
      expect(cardText(card)).toContain('expected an id');
    }
    expect(recorder.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/lists'))).toEqual([]);
    expect(bridge.sandbox.state.messages).toEqual([]);
  });

  it('still takes an id submitted as text', async () => {
    const bridge = await startTestBridge();
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Customers' });
    const card = await submit(bridge, 'contact.create', { list_id: ` ${list.list_id} `, phone_number: '+61411111111' });
    expect(cardText(card)).not.toContain('expected an id');
    expect([...bridge.sandbox.state.contacts.values()]).toHaveLength(1);
  });
});
