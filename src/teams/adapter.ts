import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type Response,
} from 'botbuilder';
import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createCountedLog } from './counted-log.js';
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
   * tenant); when undefined, every tenant.
   */
  readonly tenantIds?: readonly string[] | undefined;
  /** Where refused activities are counted (one line a minute at most: anyone can send them). */
  readonly logger?: Logger;
  readonly onRefused?: () => void;
}

/** Why /api/messages was answered before the bot saw the activity. */
type AuthFailureCode = 'ERR_BOT_UNAUTHORIZED' | 'ERR_BOT_AUTH_UNAVAILABLE';

/** A request whose token was refused, or could not be checked, whatever botbuilder threw for it. */
class AuthFailure extends Error {
  constructor(
    readonly code: AuthFailureCode,
    options: { cause: unknown },
  ) {
    super(code, options);
  }
}

/** Seconds the Bot Connector is asked to wait before delivering again when no token can be checked. */
const KEYS_RETRY_AFTER_S = 30;

/** The one place an auth failure becomes an HTTP answer, in our words: never botbuilder's text. */
const authFailureAnswer = (code: AuthFailureCode): { status: number; retryAfterS?: number; error: string } => {
  switch (code) {
    case 'ERR_BOT_UNAUTHORIZED':
      return { status: 401, error: 'unauthorized: the request has no valid Bot Framework token' };
    case 'ERR_BOT_AUTH_UNAVAILABLE':
      // 5xx: the Bot Connector delivers the activity again; botbuilder alone answered 500 with
      // its own error text, or 401 (no redelivery) when the metadata server answered an error.
      return { status: 503, retryAfterS: KEYS_RETRY_AFTER_S, error: "the bot could not check the request's token right now; try again" };
    default: {
      const _never: never = code;
      return _never;
    }
  }
};

/** The `tid` claim of a bearer token, read without verifying anything (the token may be forged). */
const unverifiedTenantOf = (authHeader: string): string | undefined => {
  const payload = /^Bearer [\w-]+\.([\w-]+)\.[\w-]*$/.exec(authHeader.trim())?.[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const tid = typeof claims === 'object' && claims !== null ? (claims as { tid?: unknown }).tid : undefined;
    return typeof tid === 'string' ? tid : tid === undefined ? undefined : String(tid);
  } catch {
    return undefined;
  }
};

/**
 * With configured tenants, a token naming another tenant is refused before botbuilder reads it.
 * Compared as sent: Entra writes tenant ids in lower case, so any other spelling is forged.
 * Without them every tenant is let through: a multi-tenant bot serves tenants it has never seen.
 */
const createTenantGate = (tenantIds: readonly string[] | undefined) => {
  const trusted = tenantIds ? new Set(tenantIds.map((id) => id.toLowerCase())) : undefined;
  return (authHeader: string): boolean => {
    if (!trusted) return true;
    const tid = unverifiedTenantOf(authHeader);
    return tid === undefined || trusted.has(tid);
  };
};

/**
 * botbuilder 4.23.3's Emulator check (`EmulatorValidation.isTokenFromEmulator`) adds four issuer
 * URLs to this one process-wide array for every new `tid` claim it meets, before verifying
 * anything, and searches the array linearly on every request: tokens with random tenants would
 * grow it without end. Each check copies the array in the same synchronous step as it pushes
 * (before its first await), so the array is put back to botbuilder's own entries after every
 * check: the next token naming a tenant pushes that tenant's issuers again. Bounded by
 * construction (four entries per check under way), and no tenant is ever locked out.
 */
const sharedIssuers = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
const botbuilderIssuers: ReadonlySet<string> = new Set(Array.isArray(sharedIssuers) ? sharedIssuers : []);
const forgetPushedIssuers = (): void => {
  if (!Array.isArray(sharedIssuers) || sharedIssuers.length === botbuilderIssuers.size) return;
  const own = sharedIssuers.filter((issuer: string) => botbuilderIssuers.has(issuer));
  sharedIssuers.splice(0, sharedIssuers.length, ...own);
};

/** What botbuilder throws for a token it refuses, as opposed to a failure to check it at all. */
const isTokenRefusal = (error: unknown): boolean => {
  const { name, statusCode } = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  // botbuilder's AuthenticationError carries 401 or 400 for a bad token, 500 for keys it could not fetch.
  if (typeof statusCode === 'number') return statusCode >= 400 && statusCode < 500;
  return ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'].includes(String(name));
};

/**
 * Refused tokens become a plain 401 with a JSON body. botbuilder's CloudAdapter answers only its
 * own AuthenticationError with 401: a token signed with a forged key id makes its JWT library
 * throw a plain Error, which it answers with 500. It also prints each refusal with a stack
 * trace to console.error, beside our logs, for anyone on the internet to trigger; instead the
 * refusals are counted and logged at most once a minute. A failure to fetch the signing keys is
 * ours, not the caller's: 503 with Retry-After, for the Bot Connector to deliver again.
 */
const answerAuthFailures = (adapter: CloudAdapter, auth: ConfigurationBotFrameworkAuthentication, options: AdapterOptions): void => {
  const authenticate = auth.authenticateRequest.bind(auth);
  const admitsTenant = createTenantGate(options.tenantIds);
  auth.authenticateRequest = async (activity, authHeader) => {
    const refused = (cause: unknown) => new AuthFailure('ERR_BOT_UNAUTHORIZED', { cause });
    if (!admitsTenant(authHeader)) throw refused(new Error('the token names a tenant this bot does not serve'));
    try {
      return await authenticate(activity, authHeader);
    } catch (error) {
      throw isTokenRefusal(error) ? refused(error) : new AuthFailure('ERR_BOT_AUTH_UNAVAILABLE', { cause: error });
    } finally {
      forgetPushedIssuers();
    }
  };
  const logRefused = createCountedLog((fields) => options.logger?.warn(fields, 'activities refused: no valid Bot Framework token'), 'refused');
  const logFailed = createCountedLog((fields) => options.logger?.error(fields, 'could not check a Bot Framework token'), 'failed');
  // CloudAdapter answers with `end(status, body)` and no headers: Retry-After is set on the
  // response of the request under way, which `process` keeps here.
  const responses = new AsyncLocalStorage<Response>();
  const processRequest = adapter.process.bind(adapter) as (...args: unknown[]) => Promise<void>;
  (adapter as unknown as { process: typeof processRequest }).process = (...args) => responses.run(args[1] as Response, () => processRequest(...args));
  // `processActivity` is protected: reached through a structural view of the same object.
  const open = adapter as unknown as { processActivity: (...args: unknown[]) => Promise<InvokeResponse | undefined> };
  const processActivity = open.processActivity.bind(adapter);
  open.processActivity = async (...args) => {
    try {
      return await processActivity(...args);
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      if (error.code === 'ERR_BOT_UNAUTHORIZED') {
        options.onRefused?.();
        logRefused(error.cause);
      } else {
        logFailed(error.cause);
      }
      const answer = authFailureAnswer(error.code);
      const response = responses.getStore();
      if (answer.retryAfterS !== undefined && typeof response?.header === 'function') response.header('Retry-After', String(answer.retryAfterS));
      return { status: answer.status, body: { error: answer.error, code: error.code } };
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
  answerAuthFailures(adapter, auth, options);
  // Replies within a turn go through the same connector client as proactive posts: take its
  // blind retries away here too, so that a reply is never sent twice behind our back.
  adapter.use(async (context, next) => {
    takeOverRetries(context.turnState.get(adapter.ConnectorClientKey), TURN_TIMEOUT_MS);
    await next();
  });
  return adapter;
};
