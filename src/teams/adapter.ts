import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';
import { takeOverRetries } from './gateway.js';

const TURN_TIMEOUT_MS = 30_000;

export interface AdapterOptions {
  /** Overrides the Bot Framework OpenID metadata URL (tests sign tokens with a local key). */
  readonly openIdMetadataUrl?: string;
}

/**
 * The CloudAdapter with the Bot Framework's own settings, from our validated config (never
 * from process.env directly). Without an app id botbuilder checks no token in or out: the
 * config only allows that on loopback.
 */
export const createAdapter = (bot: Config['bot'], options: AdapterOptions = {}): CloudAdapter => {
  const settings: Record<string, string> = {};
  if (bot.appId) settings.MicrosoftAppId = bot.appId;
  if (bot.appPassword) settings.MicrosoftAppPassword = bot.appPassword;
  if (bot.appId) settings.MicrosoftAppType = bot.appType;
  if (bot.tenantId) settings.MicrosoftAppTenantId = bot.tenantId;
  if (options.openIdMetadataUrl) settings.ToBotFromChannelOpenIdMetadataUrl = options.openIdMetadataUrl;
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
  // Replies within a turn go through the same connector client as proactive posts: take its
  // blind retries away here too, so that a reply is never sent twice behind our back.
  adapter.use(async (context, next) => {
    takeOverRetries(context.turnState.get(adapter.ConnectorClientKey), TURN_TIMEOUT_MS);
    await next();
  });
  return adapter;
};
