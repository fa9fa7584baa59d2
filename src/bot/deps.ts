import type { SendPipeline } from '../bridge/send.js';
import type { SendRecord } from '../store/sends.js';
import type { CountryCode } from 'libphonenumber-js';
import type { CardData, CardName, AdaptiveCardJson } from '../cards/types.js';
import type { ClickSendClient } from '../clicksend/client.js';
import type { Links } from '../bridge/links.js';
import type { Replies } from '../bridge/replies.js';
import type { Logger } from '../log.js';
import type { AccessPolicy } from './access.js';
import type { AuditLog } from './audit-log.js';

/** Exactly-once handling of card submissions, kept in the store so it holds across instances. */
export interface SubmissionLedger {
  /** `ttlMs`: how long the key is remembered (the store's default, a week, when left out). */
  claimSubmission(key: string, ttlMs?: number): Promise<'claimed' | 'duplicate'>;
  completeSubmission(key: string, result: unknown): Promise<void>;
  releaseSubmission(key: string): Promise<void>;
  getSubmission(key: string): Promise<{ state: 'pending' | 'done'; result?: unknown } | undefined>;
}

export interface ConversationRecordInput {
  readonly conversationId: string;
  readonly kind: 'personal' | 'channel' | 'groupChat';
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly teamId?: string | undefined;
  readonly channelId?: string | undefined;
  readonly botId: string;
  readonly userId?: string | undefined;
  readonly reference: unknown;
}

/** Where the bot keeps the conversations it was installed in (for proactive posts later). */
export interface ConversationDirectory {
  saveConversation(record: ConversationRecordInput): Promise<void>;
  /** True exactly once per conversation: the welcome card is posted once. */
  markWelcomed(conversationId: string): Promise<boolean>;
}

export interface CardRenderer {
  render<N extends CardName>(name: N, data: CardData[N]): AdaptiveCardJson;
}

/** Fetches a file the user attached in Teams (only from Microsoft hosts, size-capped). */
export type FileDownloader = (url: string) => Promise<Buffer>;

export interface BotSettings {
  readonly defaultCountry: CountryCode;
  readonly voice: { readonly lang: string; readonly gender: 'female' | 'male' };
}

/** Customers who texted STOP: every send path asks before spending anything. */
export interface OptOuts {
  isOptedOut(number: string): Promise<boolean>;
}

/** The relay's use cases the bot drives (link commands, replies in customer threads). */
export interface RelayUseCases {
  readonly links: Links;
  readonly replies: Replies;
}

/** Everything the bot's features need, built once by the composition root. */
export interface BotDeps {
  /** Absent when no ClickSend credentials are configured: every send then explains that. */
  readonly clicksend: ClickSendClient | undefined;
  readonly cards: CardRenderer;
  readonly submissions: SubmissionLedger;
  readonly conversations: ConversationDirectory;
  readonly optOuts: OptOuts;
  readonly relay: RelayUseCases;
  readonly download: FileDownloader;
  readonly settings: BotSettings;
  /** Tenants and roles: who may do what. */
  readonly access: AccessPolicy;
  /** The one way messages leave: checks, confirmation, the send, its record and audit. */
  readonly sends: SendPipeline;
  /** Where sends and data changes are recorded, with who did them. */
  readonly audit: AuditLog;
  /** A send's result card, drawn as the delivery worker draws it after each receipt (see bridge/relay-cards.ts). */
  readonly sendCard: (send: SendRecord) => AdaptiveCardJson;
  readonly logger: Logger;
}
