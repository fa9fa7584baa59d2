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
  readonly files: readonly IncomingFile[];
  /** The Bot Framework conversation reference, as JSON to store for proactive posts later. */
  readonly reference: Readonly<Record<string, unknown>>;
  /** Posts into this conversation; the id Teams gave the post, when it gave one. */
  send(message: OutgoingMessage): Promise<string | undefined>;
  /** Replaces a message the bot posted earlier in this conversation. */
  update(activityId: string, message: OutgoingMessage): Promise<void>;
}
