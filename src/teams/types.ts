import type { AdaptiveCardJson } from '../cards/types.js';

/**
 * Our own words for what the bot says and where: nothing outside src/teams/ needs a botbuilder
 * type, so a later move to the Teams SDK touches this folder only.
 */

/** A file attached to what we post (e.g. a CSV export). */
export interface OutgoingFile {
  readonly name: string;
  readonly contentType: string;
  /** A URL Teams can fetch, or a data: URL for small files. */
  readonly contentUrl: string;
}

export interface OutgoingMessage {
  readonly text?: string;
  readonly card?: AdaptiveCardJson;
  readonly files?: readonly OutgoingFile[];
}

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export interface Person {
  /** The Teams user id (`29:...`). */
  readonly id: string;
  /** The Entra object id, when Teams sends it. */
  readonly aadObjectId?: string | undefined;
  readonly name?: string | undefined;
}

export interface ConversationInfo {
  readonly id: string;
  readonly kind: ConversationKind;
  readonly tenantId?: string | undefined;
  /** For channels: the team (its General channel id) and the channel. */
  readonly teamId?: string | undefined;
  readonly channelId?: string | undefined;
}

/** A file the user attached to their message (Teams sends a download URL). */
export interface IncomingFile {
  readonly name: string;
  readonly contentType: string;
  readonly downloadUrl: string;
}

/** The conversation the current activity came from, and how to answer into it. */
export interface Turn {
  readonly activityId: string | undefined;
  /** For card actions: the id of the message holding the card that was clicked. */
  readonly replyToId: string | undefined;
  readonly user: Person;
  readonly conversation: ConversationInfo;
  /** The message @mentions this bot (in a channel, without it the bot sees only what `ChannelMessage.Read.Group` shows it). */
  readonly mentionsBot: boolean;
  /**
   * The message starts with the bot's @mention, as Teams writes it when one addresses the bot;
   * false for one that only mentions the bot further on ("@Alice can you ask @Bot to resend?").
   */
  readonly startsWithBotMention: boolean;
  /**
   * The typed text as people read it: each @mention as the name it shows (`<at>Alice</at>` is
   * `Alice`), without the bot's leading mention; '' when the activity has no text.
   */
  readonly textWithNames: string;
  /** The bot's own Teams id in this conversation (`28:...`). */
  readonly botId: string;
  /** The Bot Connector endpoint of this conversation, for posting into it later. */
  readonly serviceUrl: string;
  readonly files: readonly IncomingFile[];
  /** The Bot Framework conversation reference, as JSON to store for proactive posts later. */
  readonly reference: Readonly<Record<string, unknown>>;
  /** Posts into this conversation; the id Teams gave the post, when it gave one. */
  send(message: OutgoingMessage): Promise<string | undefined>;
  /** Replaces a message the bot posted earlier in this conversation. */
  update(activityId: string, message: OutgoingMessage): Promise<void>;
}

/** Where a proactive post goes: a channel (its id), a thread in it (`...;messageid=`) or a chat. */
export interface ConversationTarget {
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  /** The bot's Teams id (`28:...`), as the install told us. */
  readonly botId: string;
}

/**
 * Every proactive Teams call of the bridge: the only door to Teams outside a turn. A refusal
 * is a `TeamsDeliveryError` saying whether to retry (and when) or to give up.
 */
export interface TeamsGateway {
  /** Starts a new thread in a channel (`channel.conversationId` is the channel id) with `message` as its first post. */
  createThread(channel: ConversationTarget, message: OutgoingMessage): Promise<{ conversationId: string; rootMessageId: string }>;
  /** Posts into a conversation or thread; Teams may not say the new post's id. */
  post(target: ConversationTarget, message: OutgoingMessage): Promise<{ activityId: string | undefined }>;
  /** Replaces a post of the bot. */
  update(target: ConversationTarget, activityId: string, message: OutgoingMessage): Promise<void>;
}
