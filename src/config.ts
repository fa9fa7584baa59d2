import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { isSupportedCountry } from './domain/phone.js';
import { commaList, DatabaseSchema, GUID, GUID_EXAMPLE, httpUrl, IP_OR_CIDR, optional, RateLimitSchema } from './config-values.js';
import { ConfigError } from './errors.js';

/**
 * The only reader of the environment. Every variable of the contract is here with its
 * default; a bad value stops start-up with one message naming every bad variable.
 */

const DEFAULT_CLICKSEND_API_URL = 'https://rest.clicksend.com/v3';
const DEFAULT_DATABASE_URL = 'sqlite:data/bridge.sqlite';
const MIN_WEBHOOK_TOKEN_LENGTH = 32;

const EnvSchema = z.object({
  PORT: optional(
    z.coerce.number({ error: 'set PORT to a TCP port number (1-65535)' }).int().min(1).max(65535, 'set PORT to a TCP port number (1-65535)'),
  ).default(3978),
  HOST: optional(z.string().refine((v) => isIP(v) !== 0 || v === 'localhost', 'set HOST to an IP address such as 127.0.0.1 or 0.0.0.0')),
  MicrosoftAppId: optional(z.string()),
  MicrosoftAppPassword: optional(z.string()),
  MicrosoftAppType: optional(
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      error: 'set MicrosoftAppType to MultiTenant, SingleTenant or UserAssignedMSI (as in the Azure Bot registration)',
    }),
  ),
  MicrosoftAppTenantId: optional(z.string()),
  CLICKSEND_USERNAME: optional(z.string()),
  CLICKSEND_API_KEY: optional(z.string()),
  CLICKSEND_API_URL: optional(httpUrl('CLICKSEND_API_URL', DEFAULT_CLICKSEND_API_URL)).default(DEFAULT_CLICKSEND_API_URL),
  CLICKSEND_RATE_LIMIT: optional(RateLimitSchema).default({ requests: 100, windowMs: 60_000 }),
  WEBHOOK_TOKEN: optional(
    z
      .string()
      .min(
        MIN_WEBHOOK_TOKEN_LENGTH,
        `set WEBHOOK_TOKEN to at least ${MIN_WEBHOOK_TOKEN_LENGTH} random characters, e.g. the output of: openssl rand -hex 32`,
      )
      .regex(/^[A-Za-z0-9._~-]+$/, 'set WEBHOOK_TOKEN using only letters, digits and - . _ ~ (it travels in a URL)'),
  ),
  PUBLIC_URL: optional(httpUrl('PUBLIC_URL', 'https://bridge.example.com')),
  WEBHOOK_ALLOWED_IPS: optional(commaList('WEBHOOK_ALLOWED_IPS', IP_OR_CIDR, '203.0.113.7,198.51.100.0/24')),
  TRUST_PROXY: optional(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'set TRUST_PROXY to true (behind a reverse proxy that appends X-Forwarded-For) or false' }))
      .transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
  ).default(false),
  ALLOWED_TENANT_IDS: optional(commaList('ALLOWED_TENANT_IDS', GUID, GUID_EXAMPLE)),
  ADMIN_USER_IDS: optional(commaList('ADMIN_USER_IDS', GUID, GUID_EXAMPLE)),
  SENDER_USER_IDS: optional(commaList('SENDER_USER_IDS', GUID, GUID_EXAMPLE)),
  READYZ_MAX_OUTBOX_AGE: optional(
    z.coerce.number({ error: 'set READYZ_MAX_OUTBOX_AGE to a number of seconds, e.g. 300' }).int().min(1, 'set READYZ_MAX_OUTBOX_AGE to a number of seconds, e.g. 300'),
  ).default(300),
  SEND_CONFIRM_ABOVE: optional(
    z.coerce
      .number({ error: 'set SEND_CONFIRM_ABOVE to a price in the account currency, e.g. 5 or 2.50' })
      .positive('set SEND_CONFIRM_ABOVE to a price above 0, e.g. 5 or 2.50 (leave it unset to confirm only lists and post)'),
  ),
  AUDIT_LINK_SECRET: optional(z.string().min(32, 'set AUDIT_LINK_SECRET to at least 32 random characters, e.g. the output of: openssl rand -hex 32')),
  METRICS_TOKEN: optional(z.string().min(16, 'set METRICS_TOKEN to at least 16 random characters, e.g. the output of: openssl rand -hex 32')),
  DATABASE_URL: optional(DatabaseSchema).default(DatabaseSchema.parse(DEFAULT_DATABASE_URL)),
  DEFAULT_COUNTRY: optional(
    z.string().refine(isSupportedCountry, 'set DEFAULT_COUNTRY to an upper-case ISO 3166 country code such as AU, US or GB'),
  ).default('AU'),
  VOICE_LANG: optional(z.string().regex(/^[a-z]{2}-[a-z]{2,3}$/, 'set VOICE_LANG to a ClickSend voice language such as en-us, en-gb or en-au')).default('en-us'),
  VOICE_GENDER: optional(z.enum(['female', 'male'], { error: 'set VOICE_GENDER to female or male' })).default('female'),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'set LOG_LEVEL to one of fatal, error, warn, info, debug, trace, silent',
    }),
  ).default('info'),
});

type Env = z.infer<typeof EnvSchema>;

const toConfig = (env: Env) => ({
  port: env.PORT,
  host: env.HOST ?? (env.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
  bot: {
    appId: env.MicrosoftAppId,
    appPassword: env.MicrosoftAppPassword,
    appType: env.MicrosoftAppType ?? 'MultiTenant',
    tenantId: env.MicrosoftAppTenantId,
  },
  clicksend: {
    apiUrl: env.CLICKSEND_API_URL.replace(/\/+$/, ''),
    credentials:
      env.CLICKSEND_USERNAME && env.CLICKSEND_API_KEY
        ? { username: env.CLICKSEND_USERNAME, apiKey: env.CLICKSEND_API_KEY }
        : undefined,
    rateLimit: env.CLICKSEND_RATE_LIMIT,
  },
  webhookToken: env.WEBHOOK_TOKEN,
  /** Who may call the webhooks; anyone (with the token) when undefined. */
  webhookAllowedIps: env.WEBHOOK_ALLOWED_IPS,
  /**
   * Behind a reverse proxy every caller arrives from the proxy's address; when true, the
   * caller is the right-most `X-Forwarded-For` entry (the one the proxy appended).
   */
  trustProxy: env.TRUST_PROXY,
  access: {
    /** Tenants whose activities the bot acts on; every tenant when undefined (no tenant configured). */
    allowedTenantIds: (env.ALLOWED_TENANT_IDS ?? (env.MicrosoftAppTenantId ? [env.MicrosoftAppTenantId] : undefined))?.map((id) => id.toLowerCase()),
    /**
     * Admins; undefined means "everyone" only in the unauthenticated local mode (no
     * MicrosoftAppId), and nobody once the bot is registered.
     */
    adminUserIds: env.ADMIN_USER_IDS?.map((id) => id.toLowerCase()),
    /** Senders; everyone in an allowed tenant when undefined. */
    senderUserIds: env.SENDER_USER_IDS?.map((id) => id.toLowerCase()),
    /** No MicrosoftAppId: local development, where every user is an admin unless ADMIN_USER_IDS says otherwise. */
    openMode: !env.MicrosoftAppId,
  },
  /** /readyz fails when the oldest deliverable outbox row is older than this. */
  readyMaxOutboxAgeMs: env.READYZ_MAX_OUTBOX_AGE * 1000,
  /** Any send priced above this (account currency) is shown with its price and confirmed first. */
  sendConfirmAbove: env.SEND_CONFIRM_ABOVE,
  /** Signs the audit download links; without it `audit` makes none. */
  auditLinkSecret: env.AUDIT_LINK_SECRET,
  /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: env.METRICS_TOKEN,
  publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
  database: env.DATABASE_URL,
  defaultCountry: env.DEFAULT_COUNTRY,
  voice: { lang: env.VOICE_LANG, gender: env.VOICE_GENDER },
  logLevel: env.LOG_LEVEL,
});

export type Config = ReturnType<typeof toConfig>;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Rules that tie several variables together, read from the raw values so that they are
 * reported together with the per-variable problems; each one says how to fix it.
 */
const crossChecks = (raw: Record<string, string | undefined>): string[] => {
  const value = (name: string) => raw[name]?.trim() || undefined;
  const appId = value('MicrosoftAppId');
  const appType = value('MicrosoftAppType') ?? 'MultiTenant';
  const host = value('HOST') ?? (appId ? '0.0.0.0' : '127.0.0.1');
  const problems: string[] = [];
  if (Boolean(value('CLICKSEND_USERNAME')) !== Boolean(value('CLICKSEND_API_KEY'))) {
    problems.push(
      'CLICKSEND_USERNAME and CLICKSEND_API_KEY: set both (your ClickSend user name and the API key from the dashboard under Developers > API Credentials) or neither',
    );
  }
  if (!appId && !LOOPBACK.has(host)) {
    problems.push(
      'HOST: without MicrosoftAppId the bot accepts unauthenticated activities, so it only listens on loopback; set MicrosoftAppId (and MicrosoftAppPassword) or set HOST to 127.0.0.1',
    );
  }
  if (appId && appType !== 'UserAssignedMSI' && !value('MicrosoftAppPassword')) {
    problems.push('MicrosoftAppPassword: set it to the client secret of the Azure Bot registration named by MicrosoftAppId');
  }
  if (appType !== 'MultiTenant' && !value('MicrosoftAppTenantId')) {
    problems.push(`MicrosoftAppTenantId: set it to your Entra tenant id; MicrosoftAppType=${appType} needs it`);
  }
  return problems;
};

export interface LoadConfigOptions {
  /** A `.env` file whose values apply where the environment does not set them. */
  readonly envFile?: string | undefined;
  /**
   * Whether to insist on what only a running bridge needs (the app password and tenant, the
   * loopback rule). Tools that only read the config, such as the manifest builder, turn it off.
   */
  readonly runtimeChecks?: boolean;
}

const readEnvFile = (path: string | undefined): Record<string, string> => {
  if (!path || !existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
};

export const loadConfig = (
  env: Record<string, string | undefined> = process.env,
  options: LoadConfigOptions = { envFile: resolve('.env') },
): Config => {
  const merged = { ...readEnvFile(options.envFile), ...env };
  const parsed = EnvSchema.safeParse(merged);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...(options.runtimeChecks === false ? [] : crossChecks(merged)),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(parsed.data);
};
