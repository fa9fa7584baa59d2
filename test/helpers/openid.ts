import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';

/** What Teams' tokens carry: Bot Framework's issuer, audience = the bot's app id. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** An RSA key pair as Bot Framework publishes its keys: a key id and the channels it may sign for. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly endorsements: readonly string[];
}

/** A fresh RS256 key; `msteams` endorsed, as Microsoft's keys for Teams are. */
export const createSigningKey = (kid: string, endorsements: readonly string[] = ['msteams']): SigningKey => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, endorsements };
};

export interface OpenIdServer {
  /** What botbuilder is given as the OpenID metadata URL. */
  readonly metadataUrl: string;
  /** The paths fetched, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * login.botframework.com on a loopback port: the OpenID configuration document and, at its
 * `jwks_uri`, the public half of `keys` with their endorsements (botbuilder refuses a key whose
 * endorsements do not name the activity's channelId).
 */
export const startOpenIdServer = async (keys: readonly SigningKey[]): Promise<OpenIdServer> => {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/v1/.well-known/openidconfiguration') {
      send(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${base}/v1/.well-known/authorize`,
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    } else if (path === '/v1/.well-known/keys') {
      send(200, {
        keys: keys.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), use: 'sig', kid: key.kid, endorsements: key.endorsements })),
      });
    } else {
      send(404, { error: 'not found' });
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export interface SignOptions {
  /** The header's key id; the key's own by default (another one forges a published key). */
  readonly kid?: string;
}

/** A compact RS256 JWT of `claims` signed with `key`; `iat`/`nbf` now unless given. */
export const signToken = (claims: Record<string, unknown>, key: SigningKey, options: SignOptions = {}): string => {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? key.kid }));
  const payload = base64url(JSON.stringify({ iat: now, nbf: now, ...claims }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
};

/** The claims of a token the Bot Connector sends to `appId` for an activity from `serviceUrl`, valid for an hour. */
export const channelClaims = (appId: string, serviceUrl: string): Record<string, unknown> => ({
  iss: BOT_FRAMEWORK_ISSUER,
  aud: appId,
  exp: Math.floor(Date.now() / 1000) + 3600,
  serviceurl: serviceUrl,
});
