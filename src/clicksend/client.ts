import { Agent, type Dispatcher } from 'undici';
import { createAccountApi } from './account.js';
import { createAutomationsApi } from './automations.js';
import { createContactsApi } from './contacts.js';
import { createFaxApi } from './fax.js';
import { createListsApi } from './lists.js';
import { createMmsApi } from './mms.js';
import { createPostApi } from './post.js';
import { createSmsApi } from './sms.js';
import { createTransport, type TransportDeps, type TransportOptions } from './transport.js';
import { createUploadsApi } from './uploads.js';
import { createVoiceApi } from './voice.js';

/** What ClickSend's reports show as the sending application. */
export const SOURCE = 'clicksend-teams-bridge';

export interface ClickSendClientOptions extends TransportOptions {
  /** Overrides the `source` tag of sends. */
  readonly source?: string;
}

export type ClickSendClientDeps = TransportDeps;

/** A typed client for every ClickSend operation the bridge uses, one area per property. */
export const createClickSendClient = (options: ClickSendClientOptions, deps: ClickSendClientDeps) => {
  const transport = createTransport(options, deps);
  const send = { source: options.source ?? SOURCE };
  return {
    sms: createSmsApi(transport, send),
    mms: createMmsApi(transport, send),
    voice: createVoiceApi(transport, send),
    fax: createFaxApi(transport, send),
    post: createPostApi(transport, send),
    uploads: createUploadsApi(transport),
    lists: createListsApi(transport),
    contacts: createContactsApi(transport),
    account: createAccountApi(transport),
    automations: createAutomationsApi(transport),
  };
};
export type ClickSendClient = ReturnType<typeof createClickSendClient>;

export interface ClickSendDispatcherOptions {
  readonly connectTimeoutMs?: number;
  /** Sockets kept open to ClickSend; sends are sequential, so a few are plenty. */
  readonly connections?: number;
}

/** The undici Agent the composition root hands to the client. */
export const createClickSendDispatcher = (options: ClickSendDispatcherOptions = {}): Dispatcher =>
  new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
  });
