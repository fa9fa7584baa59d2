import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityHandler, CardFactory, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory, TurnContext, type Activity } from 'botbuilder';
import restify from 'restify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { playgroundCommand, startPlayground } from '../../src/dev/playground.js';
import { silentLogger } from '../../src/log.js';
import { startPlaygroundSession, type PlaygroundSession } from '../helpers/playground.js';

/**
 * The Agents Playground as the Teams client, driven through its own API, against a throwaway
 * echo bot: proves the harness that later drives the real bridge.
 */

const clickCard = (text: string) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text, wrap: true },
    { type: 'Input.Text', id: 'note', value: 'as typed' },
  ],
  actions: [{ type: 'Action.Execute', title: 'Click', verb: 'echo.click', data: { from: 'card' } }],
});

interface EchoBot {
  readonly endpoint: string;
  /** Every activity the bot got, in order. */
  readonly received: Partial<Activity>[];
  /** Failed turns (a send to a playground that has closed, say). */
  readonly errors: unknown[];
  close(): Promise<void>;
}

/** Echoes text, follows each echo with a card, and answers its button with a new card. */
const startEchoBot = async (): Promise<EchoBot> => {
  // No app id: no auth either way, acceptable on loopback only.
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const received: Partial<Activity>[] = [];
  const errors: unknown[] = [];
  adapter.onTurnError = async (_context, error) => {
    errors.push(error);
  };
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    const text = TurnContext.removeRecipientMention(context.activity) ?? '';
    await context.sendActivity(`echo: ${text.trim()}`);
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(clickCard(`card for ${text.trim()}`))));
    await next();
  });
  const handler = {
    async run(context: TurnContext) {
      received.push(context.activity);
      if (context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action') {
        const value = context.activity.value as { action?: { verb?: string; data?: Record<string, unknown> } };
        const card = clickCard(`clicked ${value.action?.verb ?? '?'} with ${JSON.stringify(value.action?.data ?? {})}`);
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } } });
        return;
      }
      await bot.run(context);
    },
  };
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => handler.run(context));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    received,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('the Agents Playground as a Teams client', { timeout: 15_000 }, () => {
  // One bot and one playground for these tests: starting the playground is the slow part.
  let bot: EchoBot;
  let session: PlaygroundSession;
  beforeAll(async () => {
    bot = await startEchoBot();
    session = await startPlaygroundSession(bot.endpoint);
  }, 20_000);
  afterAll(async () => {
    await session?.close();
    await bot?.close();
  });

  it('delivers a personal-chat message to the bot and shows the bot its answer', async () => {
    const sent = await session.sendText('hello', { scope: 'personal' });
    const echo = await session.waitForBotMessage((m) => m.text === 'echo: hello');
    expect(echo.conversationId).toBe(session.ids.personalChat);
    expect(sent.conversationId).toBe(session.ids.personalChat);
    expect(bot.received.find((a) => a.type === 'message' && a.text === 'hello')).toMatchObject({
      serviceUrl: session.playground.serviceUrl,
      channelId: 'msteams',
      conversation: { id: session.ids.personalChat, conversationType: 'personal', tenantId: session.ids.tenant },
      from: { id: session.ids.user.id },
      recipient: { id: session.ids.bot.id },
    });
  });

  it('sends an Action.Execute click as an adaptiveCard/action invoke and shows the card the bot returns', async () => {
    await session.sendText('click me', { scope: 'personal' });
    const card = await session.waitForBotMessage((m) => JSON.stringify(m.card ?? '').includes('card for click me'));

    const answer = await session.submitCard(card.id, 'echo.click', { note: 'typed by the user' });

    expect(bot.received.find((a) => a.type === 'invoke')).toMatchObject({
      name: 'adaptiveCard/action',
      replyToId: card.id,
      conversation: { id: session.ids.personalChat },
      value: { action: { type: 'Action.Execute', verb: 'echo.click', data: { from: 'card', note: 'typed by the user' } } },
    });
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    const updated = await session.waitForBotMessage((m) => m.id === card.id && m.version === 1);
    expect(JSON.stringify(updated.card)).toContain('clicked echo.click');
    // The log stream trails the HTTP answers a little.
    await vi.waitFor(() => expect(session.sentToBot().some((a) => a.type === 'invoke' && a.replyToId === card.id)).toBe(true));
    expect(bot.errors).toEqual([]);
  });

  it('sends an Action.Submit click as a message whose value is the button data and inputs', async () => {
    await session.sendText('submit me', { scope: 'personal' });
    const card = await session.waitForBotMessage((m) => JSON.stringify(m.card ?? '').includes('card for submit me'));
    await session.submitForm(card.id, { from: 'card', note: 'typed' });
    await vi.waitFor(() => expect(bot.received.find((a) => a.type === 'message' && a.replyToId === card.id)).toMatchObject({ value: { from: 'card', note: 'typed' } }));
  });

  it('adds the bot to a chat as the UI does when it first opens one', async () => {
    const before = bot.received.length;
    await session.install('personal');
    await vi.waitFor(() => expect(bot.received.slice(before).map((a) => a.type)).toEqual(['installationUpdate', 'conversationUpdate']));
    expect(bot.received.at(-1)).toMatchObject({ membersAdded: [{ id: session.ids.user.id }, { id: session.ids.bot.id }] });
  });

  it('reaches the bot in a group chat and a channel only through an @mention, and keeps a channel reply in its thread', async () => {
    const before = bot.received.length;
    await session.sendText('not for the bot', { scope: 'groupChat', mention: false });
    await session.sendText('group hello', { scope: 'groupChat' });
    await session.waitForBotMessage((m) => m.text === 'echo: group hello');
    const post = await session.sendText('channel hello', { scope: 'channel' });
    expect(post.conversationId).toBe(`${session.ids.team};messageid=${post.messageId}`);
    await session.waitForBotMessage((m) => m.text === 'echo: channel hello' && m.conversationId === post.conversationId);
    await session.sendText('thread reply', { scope: 'channel', thread: post.conversationId });
    await session.waitForBotMessage((m) => m.text === 'echo: thread reply' && m.conversationId === post.conversationId);
    await session.waitForBotMessage((m) => JSON.stringify(m.card ?? '').includes('card for thread reply'));
    const heard = bot.received.slice(before).filter((a) => a.type === 'message');
    expect(heard.map((a) => a.conversation?.conversationType)).toEqual(['groupChat', 'channel', 'channel']);
    expect(bot.errors).toEqual([]);
  });
});

describe('startPlayground', () => {
  const pids: number[] = [];
  afterEach(() => {
    for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('fails with ERR_PLAYGROUND_START, and leaves nothing running, when it does not listen in time', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'playground-')), 'playground.log');
    await expect(startPlayground({ botEndpoint: 'http://127.0.0.1:9/api/messages', logFile, logger: silentLogger, startTimeoutMs: 1 })).rejects.toMatchObject({
      code: 'ERR_PLAYGROUND_START',
    });
  });

  it('stops the playground when the process that started it dies, even by SIGKILL', { timeout: 20_000 }, async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'playground-')), 'playground.log');
    const { command, args, env } = playgroundCommand({ botEndpoint: 'http://127.0.0.1:9/api/messages', port: 0, logFile });
    // A parent that starts the playground as startPlayground does, prints its pid, then waits.
    const parentScript = `const c = require('node:child_process').spawn(${JSON.stringify(command)}, ${JSON.stringify(args)}, { env: ${JSON.stringify(env)}, stdio: ['pipe', 'pipe', 'inherit'] });
c.stdout.on('data', (d) => { if (/Listening on/.test(String(d))) console.log('child ' + c.pid); });`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    pids.push(parent.pid ?? 0);
    const [line] = (await once(parent.stdout, 'data')) as [Buffer];
    const childPid = Number(/child (\d+)/.exec(String(line))?.[1]);
    pids.push(childPid);
    expect(isAlive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil(() => !isAlive(childPid), 5_000);
  });
});

/** Running, that is: neither gone nor a zombie waiting for an init that may never reap it. */
const isAlive = (pid: number): boolean => {
  if (!(pid > 0)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const waitUntil = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
