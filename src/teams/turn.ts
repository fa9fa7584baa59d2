import { TurnContext } from 'botbuilder';
import { toActivity } from './activities.js';
import type { ConversationKind, IncomingFile, Turn } from './types.js';

const kindOf = (conversationType: string | undefined): ConversationKind =>
  conversationType === 'channel' ? 'channel' : conversationType === 'groupChat' ? 'groupChat' : 'personal';

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
  channel?: { id?: string };
}

// Teams sends a file in a personal chat as this attachment type, with a short-lived download URL.
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

const filesOf = (context: TurnContext): IncomingFile[] =>
  (context.activity.attachments ?? []).flatMap((attachment) => {
    const content = attachment.content as { downloadUrl?: unknown; fileType?: unknown } | undefined;
    if (attachment.contentType !== FILE_DOWNLOAD_INFO || typeof content?.downloadUrl !== 'string') return [];
    return [{ name: attachment.name ?? 'file', contentType: String(content.fileType ?? ''), downloadUrl: content.downloadUrl }];
  });

interface MentionEntity {
  readonly type: string;
  readonly text?: unknown;
  readonly mentioned?: { readonly id?: unknown };
}

/** The activity's mentions of the bot itself. */
const botMentionsOf = (context: TurnContext): MentionEntity[] =>
  (context.activity.entities ?? []).filter(
    (entity: MentionEntity) => String(entity.type).toLowerCase() === 'mention' && entity.mentioned?.id === context.activity.recipient.id,
  );

/**
 * Whether the text starts with the bot's mention, and the text as people read it. Teams writes a
 * mention into the text as the entity's `text` (`<at>Name</at>`); a message addressed to the bot
 * starts with it.
 */
const readText = (context: TurnContext, botMentions: readonly MentionEntity[]) => {
  const typed = (context.activity.text ?? '').replace(/\u00a0/g, ' ').trimStart();
  const lead = botMentions.map((m) => m.text).find((text): text is string => typeof text === 'string' && text !== '' && typed.startsWith(text));
  const rest = lead === undefined ? typed : typed.slice(lead.length);
  return { startsWithBotMention: lead !== undefined, textWithNames: rest.replace(/<at>([^<]*)<\/at>/g, '$1').trim() };
};

/** The `Turn` of a botbuilder TurnContext: who, where, and how to answer. */
export const turnOf = (context: TurnContext): Turn => {
  const { activity } = context;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const botMentions = botMentionsOf(context);
  return {
    activityId: activity.id,
    replyToId: activity.replyToId,
    user: { id: activity.from.id, aadObjectId: activity.from.aadObjectId, name: activity.from.name },
    conversation: {
      id: activity.conversation.id,
      kind: kindOf(activity.conversation.conversationType),
      tenantId: activity.conversation.tenantId ?? channelData.tenant?.id,
      teamId: channelData.team?.id,
      channelId: channelData.channel?.id,
    },
    mentionsBot: botMentions.length > 0,
    ...readText(context, botMentions),
    botId: activity.recipient.id,
    serviceUrl: activity.serviceUrl,
    files: filesOf(context),
    reference: { ...TurnContext.getConversationReference(activity) },
    async send(message) {
      const response = await context.sendActivity(toActivity(message));
      return response?.id;
    },
    async update(activityId, message) {
      await context.updateActivity({ ...toActivity(message), id: activityId });
    },
  };
};
