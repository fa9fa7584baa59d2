import { describe, expect, it } from 'vitest';
import { textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge } from '../helpers/bridge.js';

// The longest text an activity may carry (ACTIVITY_JSON_LIMITS): 50,000 opening quotes, none closed.
const UNMATCHED_QUOTES = '“ '.repeat(50_000);

describe('hostile text through /api/messages', () => {
  it('answers a 100,000-character message of unmatched curly quotes with the unknown-command card', async () => {
    const bridge = await startTestBridge();
    const answer = await bridge.post(textMessage(bridge.connector.url, UNMATCHED_QUOTES));
    expect(answer.status).toBe(200);
    await bridge.connector.waitForCalls(1);
    expect(cardText(bridge.connector.cards()[0]?.card)).toContain('I don\'t know "“"');
  });

  it('answers an SMS command whose text is unmatched curly quotes with why it cannot be sent', async () => {
    const bridge = await startTestBridge();
    // Short enough for the form that shows the text again to stay under the card size limit.
    const text = `sms +61411111111 ${UNMATCHED_QUOTES.slice(0, 30_000)}`;
    const answer = await bridge.post(textMessage(bridge.connector.url, text));
    expect(answer.status).toBe(200);
    await bridge.connector.waitForCalls(1);
    expect(cardText(bridge.connector.cards()[0]?.card)).toContain('SMS parts');
    expect(bridge.sandbox.state.messages).toEqual([]);
  });
});
