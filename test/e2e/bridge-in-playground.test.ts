import { describe, expect, it } from 'vitest';
import { cardText, executeActions, startTestBridge } from '../helpers/bridge.js';
import { startPlaygroundSession } from '../helpers/playground.js';

describe('the bridge in the Microsoft 365 Agents Playground', () => {
  it('answers help with a card and sends an SMS from the SMS form', { timeout: 30_000 }, async () => {
    const bridge = await startTestBridge();
    const session = await startPlaygroundSession(`${bridge.url}/api/messages`);

    await session.sendText('help', { scope: 'personal' });
    await session.waitForBotMessage((m) => cardText(m.card).includes('sms <to> <text>'));

    await session.sendText('sms', { scope: 'personal' });
    const form = await session.waitForBotMessage((m) => executeActions(m.card).some((a) => a.verb === 'sms.send'));
    await session.submitCard(form.id, 'sms.send', { to: '+61411111111', body: 'Hi from the playground' });

    await session.waitForBotMessage((m) => cardText(m.card).includes('SMS sent'));
    expect(bridge.sandbox.state.messages).toMatchObject([{ type: 'sms', to: '+61411111111', body: 'Hi from the playground' }]);
  });
});

describe('inbound SMS in the Agents Playground channel', () => {
  it('shows a customer text as a thread, and a reply typed there reaches the sandbox as an SMS', { timeout: 40_000 }, async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const session = await startPlaygroundSession(`${bridge.url}/api/messages`);
    const ourNumber = bridge.sandbox.dedicatedNumbers[0]!;

    await session.sendText(`link ${ourNumber}`, { scope: 'channel' });
    await session.waitForBotMessage((m) => cardText(m.card).includes('Linked'));

    await bridge.sandbox.simulateInbound({ from: '+61411111111', to: ourNumber, body: 'Hello from a customer' });
    const thread = await session.waitForBotMessage((m) => cardText(m.card).includes('Hello from a customer'), 15_000);
    expect(thread.conversationId).toMatch(/;messageid=/);

    await session.sendText('Thanks, we will call you', { scope: 'channel', thread: thread.conversationId });
    const deadline = Date.now() + 15_000;
    while (!bridge.sandbox.state.messages.some((m) => m.type === 'sms') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(bridge.sandbox.state.messages).toMatchObject([
      { type: 'sms', to: '+61411111111', from: ourNumber, body: 'Thanks, we will call you' },
    ]);
    await session.waitForBotMessage((m) => cardText(m.card).includes('replied by SMS'), 15_000);
  });
});
