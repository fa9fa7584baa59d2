import { randomUUID } from 'node:crypto';

/** Activities shaped as Teams sends them to a bot. */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:bridge-bot', name: 'ClickSend' };
export const USER = { id: '29:user-1', name: 'Ada Lovelace', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
export const TEAM_ID = '19:team-general@thread.tacv2';
export const CHANNEL_ID = '19:sales@thread.tacv2';

export type Scope = 'personal' | 'channel' | 'groupChat';

const conversationOf = (scope: Scope) =>
  scope === 'personal'
    ? { id: 'a:personal-chat-1', conversationType: 'personal', tenantId: TENANT }
    : scope === 'channel'
      ? { id: `${CHANNEL_ID};messageid=1700000000000`, conversationType: 'channel', isGroup: true, tenantId: TENANT }
      : { id: '19:group-chat-1@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId: TENANT };

const channelDataOf = (scope: Scope) => ({
  tenant: { id: TENANT },
  ...(scope === 'channel' ? { team: { id: TEAM_ID, name: 'Sales' }, channel: { id: CHANNEL_ID, name: 'Customers' } } : {}),
});

const base = (serviceUrl: string, scope: Scope) => ({
  id: `activity-${randomUUID()}`,
  channelId: 'msteams',
  serviceUrl,
  timestamp: new Date().toISOString(),
  from: USER,
  recipient: BOT,
  conversation: conversationOf(scope),
  channelData: channelDataOf(scope),
  locale: 'en-US',
});

/** A typed message; outside personal chats Teams puts the bot's mention first. */
export const textMessage = (serviceUrl: string, text: string, scope: Scope = 'personal') => {
  const mention = `<at>${BOT.name}</at>`;
  const mentioned = scope === 'personal' ? text : `${mention} ${text}`;
  return {
    ...base(serviceUrl, scope),
    type: 'message',
    text: mentioned,
    textFormat: 'plain',
    ...(scope === 'personal' ? {} : { entities: [{ type: 'mention', text: mention, mentioned: BOT }] }),
  };
};

/** Action.Submit: a message whose value is the button data merged with the inputs. */
export const submitAction = (serviceUrl: string, replyToId: string, value: Record<string, unknown>, scope: Scope = 'personal') => ({
  ...base(serviceUrl, scope),
  type: 'message',
  replyToId,
  value,
});

/** Action.Execute: an `adaptiveCard/action` invoke; the bot answers in the HTTP response. */
export const executeAction = (serviceUrl: string, replyToId: string, verb: string, data: Record<string, unknown>, scope: Scope = 'personal') => ({
  ...base(serviceUrl, scope),
  type: 'invoke',
  name: 'adaptiveCard/action',
  replyToId,
  value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data } },
});

/** The bot was added to a team, a group chat or a personal scope. */
export const botAdded = (serviceUrl: string, scope: Scope) => ({
  ...base(serviceUrl, scope),
  type: 'conversationUpdate',
  conversation: scope === 'channel' ? { id: TEAM_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT } : conversationOf(scope),
  channelData: scope === 'channel' ? { tenant: { id: TENANT }, team: { id: TEAM_ID }, channel: { id: TEAM_ID }, eventType: 'teamMemberAdded' } : channelDataOf(scope),
  membersAdded: [{ id: BOT.id }],
});
