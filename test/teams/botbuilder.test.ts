import { describe, expect, it } from 'vitest';
import { takeOverRetries } from '../../src/teams/gateway.js';
import { CHANNEL_ID, failure, setup, type GatewaySetup } from './setup.js';

describe('botbuilder 4.23.3 without the gateway (pinned, so an upgrade that changes it shows)', () => {
  const createRaw = (s: GatewaySetup) =>
    s.adapter.createConversationAsync('', 'msteams', s.connector.url, '', { isGroup: true, bot: { id: '28:bot-1', name: '' }, channelData: { channel: { id: CHANNEL_ID } }, activity: { type: 'message', text: 'x' } as never }, async () => {});

  it('retries a 429 or 503 with Retry-After three more times in its HTTP pipeline', async () => {
    const s = await setup();
    s.connector.failNext({ status: 429, retryAfter: 0, times: 2 });
    s.connector.failNext({ status: 503, retryAfter: 0, times: 2 });
    await expect(createRaw(s)).rejects.toMatchObject({ statusCode: 503 });
    expect(s.connector.attempts.map((a) => a.status)).toEqual([429, 429, 503, 503]);
  });

  it('throws a 429 without Retry-After and a 412 at once, as RestError with statusCode', async () => {
    const s = await setup();
    s.connector.failNext({ status: 429 });
    await expect(createRaw(s)).rejects.toMatchObject({ name: 'RestError', statusCode: 429 });
    s.connector.failNext({ status: 412 });
    await expect(createRaw(s)).rejects.toMatchObject({ name: 'RestError', statusCode: 412 });
    expect(s.connector.attempts).toHaveLength(2);
  });

  it('loses the new thread\'s root id: the callback only sees the conversation id', async () => {
    const s = await setup();
    let seen: { id: string | undefined; conversationId: string | undefined } | undefined;
    await s.adapter.createConversationAsync(
      '',
      'msteams',
      s.connector.url,
      '',
      { isGroup: true, bot: { id: '28:bot-1', name: '' }, channelData: { channel: { id: CHANNEL_ID } }, activity: { type: 'message', text: 'x' } as never },
      async (context) => {
        seen = { id: context.activity.id, conversationId: context.activity.conversation.id };
      },
    );
    const created = s.connector.calls[0]!;
    expect(seen).toEqual({ id: created.conversationId, conversationId: created.conversationId });
  });

  it('hands an error thrown in a continueConversationAsync callback to onTurnError instead of the caller', async () => {
    const s = await setup();
    await expect(
      s.adapter.continueConversationAsync('', { channelId: 'msteams', serviceUrl: s.connector.url, conversation: { id: CHANNEL_ID, isGroup: true, name: '', conversationType: 'channel' } }, async () => {
        throw new Error('lost');
      }),
    ).resolves.toBeUndefined();
    expect(s.onTurnError).toHaveBeenCalledTimes(1);
  });

  it('lets an adapter middleware take over retries for every turn, the gateway\'s included', async () => {
    const s = await setup();
    s.adapter.use(async (context, next) => {
      expect(takeOverRetries(context.turnState.get(s.adapter.ConnectorClientKey), 5_000)).toBe(true);
      await next();
    });
    s.connector.failNext({ status: 503, retryAfter: 0, times: 4 });
    expect(await failure(s.gateway.post(s.channel, { text: 'x' }))).toMatchObject({ status: 503, permanent: false });
    expect(s.connector.attempts).toHaveLength(1);
  });
});
