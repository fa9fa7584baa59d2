import type { Config } from './config.js';

/** Every secret value of the configuration, for the logger to censor wherever it shows up. */
export const secretsOf = (config: Config): (string | undefined)[] => [
  config.clicksend.credentials?.apiKey,
  config.bot.appPassword,
  config.webhookToken,
  config.metricsToken,
  config.auditLinkSecret,
];

/** The effective configuration for the start-up log line: secrets only say whether they are set. */
export const describeConfig = (config: Config) => ({
  port: config.port,
  host: config.host,
  bot: {
    appId: config.bot.appId ?? null,
    appType: config.bot.appType,
    tenantId: config.bot.tenantId ?? null,
    appPassword: config.bot.appPassword ? 'set' : 'unset',
  },
  clicksend: {
    apiUrl: config.clicksend.apiUrl,
    username: config.clicksend.credentials?.username ?? null,
    apiKey: config.clicksend.credentials ? 'set' : 'unset',
    rateLimit: `${config.clicksend.rateLimit.requests}/${config.clicksend.rateLimit.windowMs / 1000}s`,
  },
  webhookToken: config.webhookToken ? 'set' : 'unset',
  webhookAllowedIps: config.webhookAllowedIps ?? 'any',
  trustProxy: config.trustProxy,
  access: {
    allowedTenantIds: config.access.allowedTenantIds ?? 'any',
    adminUserIds: config.access.adminUserIds ?? (config.access.openMode ? 'everyone (no MicrosoftAppId)' : 'none'),
    senderUserIds: config.access.senderUserIds ?? 'everyone',
  },
  readyMaxOutboxAgeSeconds: config.readyMaxOutboxAgeMs / 1000,
  sendConfirmAbove: config.sendConfirmAbove ?? 'unset',
  metricsToken: config.metricsToken ? 'set' : 'unset',
  auditLinkSecret: config.auditLinkSecret ? 'set' : 'unset',
  publicUrl: config.publicUrl ?? null,
  database: config.database.kind === 'sqlite' ? `sqlite:${config.database.path}` : 'postgres',
  defaultCountry: config.defaultCountry,
  voice: config.voice,
  logLevel: config.logLevel,
});
