import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { recordClickSend, type ClickSendRecorder } from '../properties/recorder.js';

type InvokeAnswer = { statusCode: number; type: string; value: Record<string, unknown> };

const invoke = async (bridge: TestBridge, verb: string, data: Record<string, unknown>) => {
  const answer = await bridge.post(executeAction(bridge.connector.url, 'form-card-1', verb, data));
  expect(answer.status).toBe(200);
  return (answer.body as InvokeAnswer).value;
};

const calls = (bridge: TestBridge) => bridge.sandbox.state.messages.filter((m) => m.type === 'voice');

/** The requests that would cost money or ask ClickSend for a price. */
const spent = (recorder: ClickSendRecorder) => recorder.requests.filter((r) => /\/voice\/(send|price)/.test(r.path));

type Node = Record<string, unknown>;

/** The text shown right under the input `id`: the element that follows it in its container. */
const textUnder = (card: unknown, id: string): string | undefined => {
  let found: string | undefined;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      const at = node.findIndex((item) => (item as Node | null)?.id === id);
      const next = at >= 0 ? (node[at + 1] as Node | undefined) : undefined;
      if (typeof next?.text === 'string') found = next.text;
      node.forEach(walk);
    } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(card);
  return found;
};

const choicesOf = (card: unknown, id: string): { title: string; value: string }[] => {
  let choices: { title: string; value: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Node).id === id) choices = (node as { choices: typeof choices }).choices;
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return choices;
};

const call = { to: '+61411111111', body: 'Your appointment is at 10', require_input: '0', machine_detection: '0' };

describe('voice and language', () => {
  it('refuses en-in with a male voice under the voice field, before pricing or calling', async () => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ deps: { clicksendDispatcher: recorder.dispatcher } });
    const card = await invoke(bridge, 'voice.send', { ...call, lang: 'en-in', voice: 'male' });
    expect(textUnder(card, 'voice')).toBe('English, India (en-in) has a female voice only: pick female');
    expect(executeActions(card).map((a) => a.verb)).toContain('voice.send');
    expect(spent(recorder)).toEqual([]);
    expect(calls(bridge)).toHaveLength(0);
  });

  it('refuses en-in with a male voice to a whole list before asking ClickSend for the price', async () => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ deps: { clicksendDispatcher: recorder.dispatcher } });
    const list = await bridge.app.clicksend!.lists.create({ list_name: 'Patients' });
    await bridge.app.clicksend!.contacts.create(list.list_id, { phone_number: '+61411111111' });
    const card = await invoke(bridge, 'voice.send', { ...call, to: '', list_id: String(list.list_id), lang: 'en-in', voice: 'male' });
    expect(textUnder(card, 'voice')).toContain('female voice only');
    expect(spent(recorder)).toEqual([]);
  });

  it('calls with en-us and a male voice', async () => {
    const bridge = await startTestBridge();
    const card = await invoke(bridge, 'voice.send', { ...call, lang: 'en-us', voice: 'male' });
    expect(cardText(card)).toContain('Voice call made');
    expect(calls(bridge)[0]?.record).toMatchObject({ lang: 'en-us', voice: 'male' });
  });

  it('refuses VOICE_LANG en-in with VOICE_GENDER male for voice <to> <text>, and calls nobody', async () => {
    const recorder = recordClickSend();
    const bridge = await startTestBridge({ env: { VOICE_LANG: 'en-in', VOICE_GENDER: 'male' }, deps: { clicksendDispatcher: recorder.dispatcher } });
    await bridge.post(textMessage(bridge.connector.url, 'voice +61411111111 Your code is 1 2 3'));
    await bridge.connector.waitForCalls(1);
    expect(textUnder(bridge.connector.cards()[0]?.card, 'voice')).toContain('female voice only');
    expect(spent(recorder)).toEqual([]);
  });

  it("says in the form's language list which voices each language has", async () => {
    const bridge = await startTestBridge();
    await bridge.post(textMessage(bridge.connector.url, 'voice'));
    await bridge.connector.waitForCalls(1);
    const languages = choicesOf(bridge.connector.cards()[0]?.card, 'lang');
    expect(languages).toContainEqual({ title: 'English, India (en-in): female voice only', value: 'en-in' });
    expect(languages).toContainEqual({ title: 'English, US (en-us): female or male', value: 'en-us' });
  });
});
