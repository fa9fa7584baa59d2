import { describe, expect, it } from 'vitest';
import { inboundCards, OUR_NUMBER, pushInbound, until } from '../helpers/relay-traffic.js';
import { CHANNEL_ID, executeAction, textMessage } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const CUSTOMER = '+61411111111';
const OTHER_CUSTOMER = '+61411111112';
const THIRD_CUSTOMER = '+61411111113';

/** A channel activity as Teams sends it from the fixtures' channel (its root post, or a thread of it). */
const inChannel = <A extends { conversation: object; channelData: object }>(activity: A, conversationId = `${CHANNEL_ID};messageid=1700000000000`) => ({
  ...activity,
  conversation: { ...activity.conversation, id: conversationId },
  channelData: { ...activity.channelData, channel: { id: CHANNEL_ID, name: 'Channel' } },
});

/** Types `text` after the bot's @mention in the channel and returns the card it answered with. */
const say = async (bridge: TestBridge, text: string): Promise<string> => {
  const before = bridge.connector.cards().length;
  expect((await bridge.post(inChannel(textMessage(bridge.connector.url, text, 'channel')))).status).toBeLessThan(300);
  return cardText((await until(() => bridge.connector.cards()[before])).card);
};

/** Clicks the Reply button of a customer's card in its thread, with `body` typed in. */
const replyIn = async (bridge: TestBridge, root: { call: { id: string; conversationId: string }; card: unknown }, body: string) => {
  const [reply] = executeActions(root.card);
  const activity = executeAction(bridge.connector.url, root.call.id, 'thread.reply', { ...reply!.data, body }, 'channel');
  const answer = await bridge.post(inChannel(activity, root.call.conversationId));
  expect(answer.status).toBe(200);
  expect(JSON.stringify(answer.body)).not.toContain('application/vnd.microsoft.card.adaptive');
};

describe('link, when texts waited for it', () => {
  it('counts the customer texts that waited apart from the status cards held with them', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR_NUMBER}`);
    // Two customers answered from their threads; Teams refused both status cards for good (the bot was removed).
    for (const [i, customer] of [CUSTOMER, OTHER_CUSTOMER].entries()) {
      await pushInbound(bridge.url, { message_id: `ASKED-${i}`, from: customer, body: `Question ${i}` });
      const root = await until(() => inboundCards(bridge.connector)[i]);
      bridge.connector.failNext({ status: 403 });
      await replyIn(bridge, root, 'On it');
      await until(async () => (await bridge.app.store.outboxStats()).parked === i + 1, 'the status card to be parked');
    }
    // A third customer's text waits while the number is unlinked.
    expect(await say(bridge, `unlink ${OUR_NUMBER}`)).toContain('Unlinked');
    await pushInbound(bridge.url, { message_id: 'HELD-1', from: THIRD_CUSTOMER, body: 'Anyone there?' });
    await until(async () => (await bridge.app.store.outboxStats()).waiting === 1, 'the text to wait');

    const answer = await say(bridge, `link ${OUR_NUMBER}`);
    expect(answer).toContain('1 customer text that waited is on its way; 2 status cards follow.');
    expect(answer).not.toContain('3 waiting');
    await until(() => inboundCards(bridge.connector).some((c) => cardText(c.card).includes('Anyone there?')), 'the text that waited');
    await until(() => bridge.connector.cards().filter((c) => cardText(c.card).includes('replied by SMS')).length >= 2, 'the status cards');
  });

  it('says nothing of waiting texts when none waited', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const answer = await say(bridge, `link ${OUR_NUMBER}`);
    expect(answer).toContain('now come into this channel');
    expect(answer).not.toMatch(/waited|on its way|on their way|follow/);
  });
});
