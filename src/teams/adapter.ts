import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
} from 'botbuilder';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { takeOverRetries } from './gateway.js';

const TURN_TIMEOUT_MS = 30_000;

/**
 * botbuilder's public-cloud settings (its `AuthenticationConstants`, not exported by `botbuilder`).
 * Setting any one of them switches botbuilder 4.23.3 to "all parameters are intentional": the
 * others then become undefined (no token issuer at all), so an override must restate them.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  CallerId: CallerIdConstants.PublicAzureChannel,
} as const;

export interface AdapterOptions {
  /**
   * Where botbuilder fetches the keys that sign tokens sent to the bot, instead of Microsoft's
   * (login.botframework.com for Teams, login.microsoftonline.com for the Emulator and skill
   * paths, which tokens of other shapes take): tests sign tokens with a local key and reach
   * nothing beyond loopback. Issuer, audience and every other check stay the public cloud's.
   */
  readonly openIdMetadataUrl?: string;
  /**
   * Signs the bot's own calls to the Bot Connector with this token instead of one from
   * botbuilder's MSAL login at login.microsoftonline.com, out of tests' reach. Only the outgoing
   * side changes: incoming tokens are checked against the app id exactly as without it.
   */
  readonly outboundToken?: () => Promise<string>;
  /**
   * The tenants whose Entra-issued tokens may be looked at (`ALLOWED_TENANT_IDS`, else the app's
   * tenant); when undefined, the first few distinct tenants seen.
   */
  readonly tenantIds?: readonly string[] | undefined;
  /** Where refused activities are counted (one line a minute at most: anyone can send them). */
  readonly logger?: Logger;
  readonly onRefused?: () => void;
}

/** A request whose token botbuilder refused, whatever botbuilder threw for it. */
class RefusedRequest extends Error {}

const REFUSAL_LOG_EVERY_MS = 60_000;
/** Distinct token tenants let through to botbuilder when no tenant is configured. */
const MAX_UNCONFIGURED_TENANTS = 16;

/** The `tid` claim of a bearer token, read without verifying anything (the token may be forged). */
const unverifiedTenantOf = (authHeader: string): string | undefined => {
  const payload = /^Bearer [\w-]+\.([\w-]+)\.[\w-]*$/.exec(authHeader.trim())?.[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tid = typeof claims === 'object' && claims !== null ? (claims as { tid?: unknown }).tid : undefined;
    // Kept as sent: botbuilder compares it case-sensitively, so each spelling would count anew.
    return typeof tid === 'string' ? tid : tid === undefined ? undefined : String(tid);
  } catch {
    return undefined;
  }
};

/**
 * botbuilder 4.23.3's Emulator check adds four issuer URLs to one process-wide array for every
 * new `tid` claim it meets, before verifying anything, and searches that array linearly on
 * every request: unsigned tokens with random tenants would grow it without end. Tokens naming a
 * tenant we do not serve are refused before botbuilder reads them.
 */
const createTenantGate = (tenantIds: readonly string[] | undefined) => {
  const trusted = tenantIds ? new Set(tenantIds.map((id) => id.toLowerCase())) : undefined;
  // Without configured tenants: the tenants of tokens that verified, and a few more in trial.
  const verified = new Set<string>();
  let trials = 0;
  return {
    admits(tid: string | undefined): boolean {
      if (tid === undefined) return true;
      // Entra writes tenant ids in lower case; any other spelling is forged.
      if (tid !== tid.toLowerCase()) return false;
      if (trusted) return trusted.has(tid);
      if (verified.has(tid)) return true;
      if (trials >= MAX_UNCONFIGURED_TENANTS) return false;
      trials += 1;
      return true;
    },
    verified(tid: string | undefined): void {
      if (tid !== undefined) verified.add(tid);
    },
  };
};

/** What botbuilder throws for a token it refuses, as opposed to a failure to check it at all. */
const isTokenRefusal = (error: unknown): boolean => {
  const { name, statusCode } = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  return statusCode === 401 || ['AuthenticationError', 'JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(String(name));
};

/**
 * Refused tokens become a plain 401 with a JSON body. botbuilder's CloudAdapter answers only its
 * own AuthenticationError with 401: a token signed with a forged key id makes its JWT library
 * throw a plain Error, which it answers with 500. It also prints each refusal with a stack
 * trace to console.error, beside our logs, for anyone on the internet to trigger; instead the
 * refusals are counted and logged at most once a minute.
 */
const answerRefusalsWith401 = (adapter: CloudAdapter, auth: ConfigurationBotFrameworkAuthentication, options: AdapterOptions): void => {
  const authenticate = auth.authenticateRequest.bind(auth);
  const tenants = createTenantGate(options.tenantIds);
  auth.authenticateRequest = async (activity, authHeader) => {
    const tid = unverifiedTenantOf(authHeader);
    if (!tenants.admits(tid)) throw new RefusedRequest('refused', { cause: new Error('the token names a tenant this bot does not serve') });
    try {
      const result = await authenticate(activity, authHeader);
      tenants.verified(tid);
      return result;
    } catch (error) {
      // A refused token is the caller's fault (401); failing to fetch the signing keys is ours,
      // and left to CloudAdapter's 500 so that the Bot Connector delivers the activity again.
      if (isTokenRefusal(error)) throw new RefusedRequest('refused', { cause: error });
      options.logger?.error({ err: error }, 'could not check a Bot Framework token');
      throw error;
    }
  };
  let refused = 0;
  let lastLogAt = 0;
  // `processActivity` is protected: reached through a structural view of the same object.
  const open = adapter as unknown as { processActivity: (...args: unknown[]) => Promise<InvokeResponse | undefined> };
  const processActivity = open.processActivity.bind(adapter);
  open.processActivity = async (...args) => {
    try {
      return await processActivity(...args);
    } catch (error) {
      if (!(error instanceof RefusedRequest)) throw error;
      refused += 1;
      options.onRefused?.();
      if (Date.now() - lastLogAt >= REFUSAL_LOG_EVERY_MS) {
        lastLogAt = Date.now();
        const reason = error.cause instanceof Error ? error.cause.message.slice(0, 200) : 'unknown';
        options.logger?.warn({ refused, lastReason: reason }, 'activities refused: no valid Bot Framework token');
        refused = 0;
      }
      return { status: 401, body: { error: 'unauthorized: the request has no valid Bot Framework token' } };
    }
  };
};

const credentialsFactoryOf = (settings: Record<string, string>, outboundToken: AdapterOptions['outboundToken']) => {
  const factory = new ConfigurationServiceClientCredentialFactory(settings);
  if (outboundToken) {
    factory.createCredentials = async () => ({
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${await outboundToken()}`);
        return request;
      },
    });
  }
  return factory;
};

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
  if (options.openIdMetadataUrl) {
    Object.assign(settings, PUBLIC_CLOUD, {
      ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: options.openIdMetadataUrl,
    });
  }
  const auth = new ConfigurationBotFrameworkAuthentication(settings, credentialsFactoryOf(settings, options.outboundToken));
  const adapter = new CloudAdapter(auth);
  answerRefusalsWith401(adapter, auth, options);
  // Replies within a turn go through the same connector client as proactive posts: take its
  // blind retries away here too, so that a reply is never sent twice behind our back.
  adapter.use(async (context, next) => {
    takeOverRetries(context.turnState.get(adapter.ConnectorClientKey), TURN_TIMEOUT_MS);
    await next();
  });
  return adapter;
};
