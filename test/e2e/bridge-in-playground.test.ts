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
