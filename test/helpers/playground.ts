import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { startPlayground, type Playground } from '../../src/dev/playground.js';
import { silentLogger, type Logger } from '../../src/log.js';

/**
 * A client of the Agents Playground's own HTTP/WebSocket API (the one its web UI uses), so that a
 * test can act as the Teams user: type in a chat, click card buttons, read what the bot posted.
 * docs/local-teams.md describes the API.
 */

export type ChatScope = 'personal' | 'groupChat' | 'channel';

export interface PlaygroundMessage {
  readonly id: string;
  /** The chat id, or `<channel id>;messageid=<root id>` for a channel thread. */
  readonly conversationId: string;
  readonly from: 'bot' | 'user';
  readonly text: string | undefined;
  readonly attachments: readonly { readonly contentType: string; readonly content: unknown }[];
  /** The first Adaptive Card, if any (Teams shows one card per message unless it is a carousel). */
  readonly card: unknown;
  /** 0 when posted; +1 on each update (`updateActivity` or a card the bot returned to an invoke). */
  readonly version: number;
}

export interface SendOptions {
  readonly scope?: ChatScope;
  /** @mention the bot; default: true outside personal chat (the bot hears nothing else there). */
  readonly mention?: boolean;
  /** Channel scope: a channel id (default: General, whose id is the team id); a new thread. */
  readonly channel?: string;
  /** Channel scope: reply in this thread (`<channel>;messageid=<root>`) instead of starting one. */
  readonly thread?: string;
}

/** What the bot answered to an invoke, as the playground hands it to its UI. */
export interface InvokeAnswer {
  readonly type: string | undefined;
  readonly value: unknown;
}

export interface PlaygroundIds {
  readonly personalChat: string;
  readonly groupChat: string;
  readonly team: string;
  readonly channels: readonly string[];
  readonly bot: { readonly id: string; readonly name: string };
  readonly user: { readonly id: string; readonly name: string };
  readonly tenant: string;
}

export interface PlaygroundSession {
  readonly playground: Playground;
  readonly ids: PlaygroundIds;
  /** Types `text` as the user; resolves with the new message's id and conversation. */
  sendText(text: string, options?: SendOptions): Promise<{ messageId: string; conversationId: string }>;
  /**
   * Clicks the Action.Execute button with `verb` on the card of message `activityId`: the
   * playground invokes `adaptiveCard/action` with the button's data merged with the card's input
   * values and then `data` (what the user typed). A card the bot answers with replaces the card.
   */
  submitCard(activityId: string, verb: string, data?: Record<string, unknown>): Promise<InvokeAnswer>;
  /** Clicks an Action.Submit button: a message activity whose `value` is `value`, replying to `activityId`. */
  submitForm(activityId: string, value: Record<string, unknown>): Promise<void>;
  /** Adds the bot where the UI would on first opening a chat: `installationUpdate` + `conversationUpdate`. */
  install(scope: ChatScope): Promise<void>;
  /** The first bot message, already received or still to come, for which `predicate` holds. */
  waitForBotMessage(predicate: (message: PlaygroundMessage) => boolean, timeoutMs?: number): Promise<PlaygroundMessage>;
  /** Every message so far, the user's and the bot's, latest version of each, in order of posting. */
  messages(): PlaygroundMessage[];
  /** Every activity the playground sent to the bot (from its log stream), in order. */
  sentToBot(): Record<string, unknown>[];
  close(): Promise<void>;
}

const WireMessage = z.object({
  messageId: z.string(),
  from: z.object({ id: z.string() }),
  text: z.string().optional(),
  attachments: z.array(z.object({ contentType: z.string(), content: z.unknown() })).optional(),
  postConversationId: z.string().optional(),
});
const ConversationFrame = z.discriminatedUnion('action', [
  z.object({ action: z.literal('createMessage'), actionConversationId: z.string(), message: WireMessage }),
  z.object({ action: z.literal('updateMessage'), actionConversationId: z.string(), message: WireMessage }),
  z.object({ action: z.literal('typing'), actionConversationId: z.string() }),
]);
const LogFrame = z.object({
  logAction: z.string(),
  log: z.object({ to: z.string().optional(), request: z.object({ body: z.record(z.string(), z.unknown()) }).optional() }),
});
const TestConfig = z.object({
  config: z.object({
    tenantId: z.string(),
    bot: z.object({ id: z.string(), name: z.string() }),
    currentUser: z.object({ id: z.string(), name: z.string() }),
    personalChat: z.object({ id: z.string() }),
    groupChats: z.array(z.object({ id: z.string() })).min(1),
    teams: z.array(z.object({ id: z.string(), channels: z.array(z.object({ id: z.string() })) })).min(1),
  }),
});
const CreatedMessage = z.object({ messageId: z.string(), postConversationId: z.string().optional() });
const InvokeAnswerSchema = z.object({ type: z.string().optional(), value: z.unknown() });

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
// A safety net for sessions a test file forgot to close; afterAll, so that tests may share one.
const open: PlaygroundSession[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((session) => session.close()));
});

/** Starts a playground (port 0, log in a temp dir) pointed at `botEndpoint` and connects to it. */
export const startPlaygroundSession = async (botEndpoint: string, options: { logger?: Logger } = {}): Promise<PlaygroundSession> => {
  const logFile = join(mkdtempSync(join(tmpdir(), 'playground-')), 'playground.log');
  const playground = await startPlayground({ botEndpoint, port: 0, logFile, logger: options.logger ?? silentLogger });
  try {
    return await connect(playground);
  } catch (error) {
    await playground.close();
    throw error;
  }
};

const connect = async (playground: Playground): Promise<PlaygroundSession> => {
  const api = playground.url.replace('localhost', '127.0.0.1');
  const ids = await readIds(api);
  const store = createMessageStore(ids.bot.id);
  const inbox: Record<string, unknown>[] = [];
  const conversations = await openSocket(`${api.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`, (data) => {
    const frame = ConversationFrame.parse(JSON.parse(data));
    if (frame.action === 'typing') return;
    const previous = store.find(frame.message.messageId);
    // A bot post that starts a channel thread arrives on the channel, naming its thread.
    const conversationId = frame.message.postConversationId ?? previous?.conversationId ?? frame.actionConversationId;
    store.put(store.fromWire(frame.message, conversationId, previous === undefined ? 0 : previous.version + 1));
  });
  const logs = await openSocket(`${api.replace('http', 'ws')}/_ws/log/stream`, (data) => {
    const { log } = LogFrame.parse(JSON.parse(data));
    if (log.to === 'User Application' && log.request !== undefined) inbox.push(log.request.body);
  });

  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`playground POST ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const session: PlaygroundSession = {
    playground,
    ids,
    async sendText(text, options = {}) {
      const scope = options.scope ?? 'personal';
      const target = scope === 'personal' ? ids.personalChat : scope === 'groupChat' ? ids.groupChat : (options.thread ?? options.channel ?? ids.team);
      const mention = `<at>${ids.bot.name}</at>`;
      const mentioned = options.mention ?? scope !== 'personal';
      const body = {
        from: { id: ids.user.id },
        text: mentioned ? `${mention} ${text}` : text,
        textFormat: 'plain',
        ...(mentioned ? { mentions: [{ mentioned: { id: ids.bot.id }, text: mention }] } : {}),
      };
      const created = CreatedMessage.parse(await post(`/_conversation/v1/conversations/${encodeURIComponent(target)}/messages`, body));
      const conversationId = created.postConversationId ?? target;
      store.put(store.fromWire({ messageId: created.messageId, from: body.from, text: body.text }, conversationId, 0));
      return { messageId: created.messageId, conversationId };
    },
    async submitCard(activityId, verb, data = {}) {
      const message = store.get(activityId);
      const action = findExecuteAction(message.card, verb);
      const value = { action: { type: 'Action.Execute', title: action.title, verb, data: { ...action.data, ...inputValues(message.card), ...data } } };
      const body = { name: 'adaptiveCard/action', value, from: { id: ids.user.id }, conversation: { id: message.conversationId }, replyToId: activityId };
      const answer = InvokeAnswerSchema.parse((await post('/_conversation/v1/invoke', body)) ?? {});
      // The playground's UI swaps the card in place; it sends no updateMessage for it.
      if (answer.type === ADAPTIVE) {
        const current = store.get(activityId);
        store.put({ ...current, attachments: [{ contentType: ADAPTIVE, content: answer.value }], card: answer.value, version: current.version + 1 });
      }
      return { type: answer.type, value: answer.value };
    },
    async submitForm(activityId, value) {
      const message = store.get(activityId);
      await post('/_conversation/v1/submit', { conversation: { id: message.conversationId }, replyToId: activityId, value, from: { id: ids.user.id } });
    },
    async install(scope) {
      const target = scope === 'personal' ? ids.personalChat : scope === 'groupChat' ? ids.groupChat : ids.team;
      await post(`/_debug/conversation/${encodeURIComponent(target)}/installation`, {});
    },
    waitForBotMessage: (predicate, timeoutMs = 5_000) => store.waitFor((m) => m.from === 'bot' && predicate(m), timeoutMs),
    messages: () => store.all(),
    sentToBot: () => [...inbox],
    async close() {
      const index = open.indexOf(session);
      if (index >= 0) open.splice(index, 1);
      conversations.close();
      logs.close();
      await playground.close();
    },
  };
  open.push(session);
  return session;
};

const readIds = async (api: string): Promise<PlaygroundIds> => {
  const { config } = TestConfig.parse(await (await fetch(`${api}/_internal/v1/testConfig`)).json());
  const team = config.teams[0]!;
  return {
    personalChat: config.personalChat.id,
    groupChat: config.groupChats[0]!.id,
    team: team.id,
    channels: team.channels.map((c) => c.id),
    bot: config.bot,
    user: config.currentUser,
    tenant: config.tenantId,
  };
};

/** The messages of a session by id, latest version of each, and waits on them. */
const createMessageStore = (botId: string) => {
  const messages = new Map<string, PlaygroundMessage>();
  const waiters = new Set<(message: PlaygroundMessage) => void>();
  const all = () => [...messages.values()];
  return {
    all,
    find: (id: string) => messages.get(id),
    get(id: string): PlaygroundMessage {
      const message = messages.get(id);
      if (message === undefined) throw new Error(`no message ${id} in the playground session`);
      return message;
    },
    put(message: PlaygroundMessage) {
      messages.set(message.id, message);
      for (const waiter of [...waiters]) waiter(message);
    },
    fromWire(wire: z.infer<typeof WireMessage>, conversationId: string, version: number): PlaygroundMessage {
      const attachments = wire.attachments ?? [];
      const card = attachments.find((a) => a.contentType === ADAPTIVE)?.content;
      return { id: wire.messageId, conversationId, from: wire.from.id === botId ? 'bot' : 'user', text: wire.text, attachments, card, version };
    },
    waitFor(predicate: (message: PlaygroundMessage) => boolean, timeoutMs: number): Promise<PlaygroundMessage> {
      const matches = (m: PlaygroundMessage) => {
        try {
          return predicate(m);
        } catch {
          return false; // a predicate written for cards, given a text message, say
        }
      };
      const found = all().find(matches);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolveMessage, reject) => {
        const waiter = (m: PlaygroundMessage) => {
          if (!matches(m)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolveMessage(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = all().map((m) => `  ${m.from} ${m.id} v${m.version}: ${m.text ?? ''} ${m.card === undefined ? '' : JSON.stringify(m.card).slice(0, 200)}`);
          reject(new Error(`no matching message within ${timeoutMs} ms; messages:\n${seen.join('\n')}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
};

const openSocket = async (url: string, onMessage: (data: string) => void): Promise<WebSocket> => {
  const socket = new WebSocket(url);
  socket.addEventListener('message', (event) => onMessage(String(event.data)));
  await new Promise<void>((resolveOpen, reject) => {
    socket.addEventListener('open', () => resolveOpen(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
  });
  return socket;
};

/** The Action.Execute with `verb` in a card: a user can only click a button that is there. */
const findExecuteAction = (card: unknown, verb: string): { title: string | undefined; data: Record<string, unknown> } => {
  const actions = collect(card, (node) => node.type === 'Action.Execute');
  const action = actions.find((a) => a.verb === verb);
  if (action === undefined) {
    throw new Error(`the card has no Action.Execute with verb ${verb} (it has: ${actions.map((a) => String(a.verb)).join(', ') || 'none'})`);
  }
  const data = action.data !== null && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
  return { title: typeof action.title === 'string' ? action.title : undefined, data };
};

/** What the Adaptive Cards renderer adds for inputs left as they are: their initial values, as strings. */
const inputValues = (card: unknown): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const input of collect(card, (node) => typeof node.type === 'string' && node.type.startsWith('Input.'))) {
    if (typeof input.id !== 'string') continue;
    const value = input.type === 'Input.Toggle' ? (input.value ?? input.valueOff ?? 'false') : input.value;
    if (value !== undefined && value !== null && value !== '') values[input.id] = String(value);
  }
  return values;
};

const collect = (node: unknown, keep: (node: Record<string, unknown>) => boolean): Record<string, unknown>[] => {
  if (Array.isArray(node)) return node.flatMap((child) => collect(child, keep));
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  return [...(keep(record) ? [record] : []), ...Object.values(record).flatMap((child) => collect(child, keep))];
};
