import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { Config } from '../config.js';

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
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
};
