import { describe, expect, it } from 'vitest';
import { inboundCards, OUR_NUMBER, pushInbound, until } from '../helpers/relay-traffic.js';
import { CHANNEL_ID, TEAM_ID, textMessage } from '../helpers/activities.js';
import { cardText, startTestBridge, type TestBridge } from '../helpers/bridge.js';

const OUR = OUR_NUMBER;
const CUSTOMER = '+61411111111';
const OTHER_TEAM = '19:other-team@thread.tacv2';
const OTHER_TEAM_CHANNEL = '19:other-sales@thread.tacv2';
const SUPPORT = '19:support@thread.tacv2';

const settle = (ms = 400) => new Promise((resolve) => setTimeout(resolve, ms));

interface Place {
  readonly team?: string;
  readonly channel?: string;
}

/** Types `text` after the bot's @mention in a channel (ours unless told) and returns the card it answered with. */
const say = async (bridge: TestBridge, text: string, place: Place = {}, scope: 'channel' | 'personal' = 'channel'): Promise<string> => {
  const before = bridge.connector.cards().length;
  const activity = textMessage(bridge.connector.url, text, scope);
  const channel = place.channel ?? CHANNEL_ID;
  const placed =
    scope === 'channel'
      ? {
          ...activity,
          conversation: { ...activity.conversation, id: `${channel};messageid=1700000000000` },
          channelData: { ...activity.channelData, team: { id: place.team ?? TEAM_ID, name: 'Team' }, channel: { id: channel, name: 'Channel' } },
        }
      : activity;
  const answer = await bridge.post(placed);
  expect(answer.status).toBeLessThan(300);
  const card = await until(() => bridge.connector.cards()[before]);
  return cardText(card.card);
};

const push = (bridge: TestBridge, body: Record<string, unknown>) => pushInbound(bridge.url, body);

const posts = (bridge: TestBridge) => inboundCards(bridge.connector);

describe('link', () => {
  it('stores a local number in E.164 (DEFAULT_COUNTRY AU) and says so', async () => {
    const bridge = await startTestBridge({ webhooks: true, env: { DEFAULT_COUNTRY: 'AU' } });
    const answer = await say(bridge, 'link 0480 000 000');
    expect(answer).toContain('Linked');
    expect(answer).toContain(OUR);
    const stored = await bridge.app.store.findLink(OUR);
    expect(stored).toMatchObject({ number: OUR, teamId: TEAM_ID, channelId: CHANNEL_ID });
    expect((await bridge.app.store.listLinks(TEAM_ID)).map((l) => l.number)).toEqual([OUR]);
  });

  it('says it works in a channel when typed in a personal chat, and links nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const answer = await say(bridge, `link ${OUR}`, {}, 'personal');
    expect(answer).toContain('works in a channel');
    expect(await bridge.app.store.findLink(OUR)).toBeUndefined();
  });

  it('answers with the usage when no number is given', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    const answer = await say(bridge, 'link');
    expect(answer).toContain('Which number?');
    expect(answer).toContain('link <number> or link all');
    expect(await bridge.app.store.listLinks(TEAM_ID)).toEqual([]);
  });

  it('refuses a number that a channel of another team has linked, and keeps that link', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    expect(await say(bridge, `link ${OUR}`, { team: OTHER_TEAM, channel: OTHER_TEAM_CHANNEL })).toContain('Linked');
    const answer = await say(bridge, `link ${OUR}`);
    expect(answer).toContain('linked to a channel of another team');
    expect(answer).toContain('Unlink it there first');
    expect(await bridge.app.store.findLink(OUR)).toMatchObject({ teamId: OTHER_TEAM, channelId: OTHER_TEAM_CHANNEL });
  });

  it('refuses link all when another team has it', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, 'link all', { team: OTHER_TEAM, channel: OTHER_TEAM_CHANNEL });
    expect(await say(bridge, 'link all')).toContain('link all is linked to a channel of another team');
    expect(await bridge.app.store.listLinks(TEAM_ID)).toEqual([]);
  });

  it("moves a number to another channel of the same team; the customer's next text starts a thread there", async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR}`);
    await push(bridge, { message_id: 'MOVE-1', from: CUSTOMER, body: 'Before the move' });
    const before = await until(() => posts(bridge)[0]);
    expect(before.call.conversationId.startsWith(`${CHANNEL_ID};`)).toBe(true);

    const answer = await say(bridge, `link ${OUR}`, { channel: SUPPORT });
    expect(answer).toContain('Moved from');
    expect(await bridge.app.store.findLink(OUR)).toMatchObject({ channelId: SUPPORT });
    await push(bridge, { message_id: 'MOVE-2', from: CUSTOMER, body: 'After the move' });
    const after = await until(() => posts(bridge)[1]);
    expect(after.call.created).toBe(true);
    expect(after.call.conversationId.startsWith(`${SUPPORT};messageid=`)).toBe(true);
  });
});

describe('unlink', () => {
  it('removes the link: later texts to the number wait and are not posted', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR}`);
    expect(await say(bridge, `unlink ${OUR}`)).toContain('Unlinked');
    expect(await bridge.app.store.findLink(OUR)).toBeUndefined();

    expect((await push(bridge, { message_id: 'AFTER-UNLINK', from: CUSTOMER, body: 'Anyone?' })).status).toBe(200);
    await until(async () => (await bridge.app.store.outboxStats()).waiting === 1);
    await settle();
    expect(posts(bridge)).toHaveLength(0);
  });

  it('says a number that is not linked here is not linked, and changes nothing', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR}`, { team: OTHER_TEAM, channel: OTHER_TEAM_CHANNEL });
    const answer = await say(bridge, 'unlink 0480 000 001');
    expect(answer).toContain('+61480000001 is not linked in this team');
    expect(answer).toContain('Type links');
    expect(await say(bridge, `unlink ${OUR}`)).toContain('is not linked in this team');
    expect(await bridge.app.store.findLink(OUR)).toMatchObject({ teamId: OTHER_TEAM });
  });
});

describe('links', () => {
  it("lists this team's numbers and their channels, and no other team's", async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR}`);
    await say(bridge, 'link +61480000001', { channel: SUPPORT });
    await say(bridge, 'link all', { channel: SUPPORT });
    await say(bridge, 'link +61480000002', { team: OTHER_TEAM, channel: OTHER_TEAM_CHANNEL });
    const answer = await say(bridge, 'links');
    expect(answer).toContain(OUR);
    expect(answer).toContain('this channel');
    expect(answer).not.toContain(CHANNEL_ID);
    expect(answer).toContain('+61480000001');
    expect(answer).toContain(SUPPORT);
    expect(answer).toContain('all other numbers');
    expect(answer).not.toContain('+61480000002');
    expect(answer).not.toContain('could not be delivered');
  });

  it('says how to start when nothing is linked', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    expect(await say(bridge, 'links')).toContain('No number is linked yet');
  });

  it('shows a delivery Teams refused for good as a problem of its channel', async () => {
    const bridge = await startTestBridge({ webhooks: true });
    await say(bridge, `link ${OUR}`);
    bridge.connector.failNext({ status: 403 });
    await push(bridge, { message_id: 'PARKED-1', from: CUSTOMER, body: 'Hello?' });
    await until(async () => (await bridge.app.store.outboxStats()).parked === 1);

    const answer = await say(bridge, 'links');
    expect(answer).toContain(OUR);
    expect(answer).toMatch(/1 post\(s\) could not be delivered: \S/);
    expect(posts(bridge)).toHaveLength(0);
  });
});
