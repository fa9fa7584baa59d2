import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { botAdded, textMessage } from '../helpers/activities.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { channelClaims, createSigningKey, signToken, startOpenIdServer, type OpenIdServer, type SigningKey } from '../helpers/openid.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OUTBOUND_TOKEN = 'outbound-token-for-the-fake-connector';
const MINUTE = 60;

const teamsKey = createSigningKey('teams-key');
const webchatKey = createSigningKey('webchat-key', ['webchat']);
const unpublishedKey = createSigningKey('unpublished-key');
let openId: OpenIdServer;

beforeAll(async () => {
  openId = await startOpenIdServer([teamsKey, webchatKey]);
});
afterAll(() => openId.close());
// CloudAdapter would console.error every refused request (stack and all, for anyone to
// trigger); the adapter answers refusals itself. What is left is botframework-connector's
// token extractor printing why a signature did not verify: nothing else may print.
let printedBy: string[] = [];
beforeEach(() => {
  printedBy = [];
  vi.spyOn(console, 'error').mockImplementation(() => void printedBy.push(new Error().stack ?? ''));
});
afterEach(() => {
  expect(printedBy.filter((stack) => !stack.includes('jwtTokenExtractor'))).toEqual([]);
  vi.restoreAllMocks();
});

/** The bridge registered as APP_ID, trusting only the keys the local metadata publishes. */
const startRegisteredBridge = () =>
  startTestBridge({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'app-password-not-used-here', HOST: '127.0.0.1' },
    deps: { botAuth: { openIdMetadataUrl: openId.metadataUrl, outboundToken: async () => OUTBOUND_TOKEN } },
  });

const post = async (bridge: TestBridge, activity: object, authorization: string | undefined): Promise<number> => {
  const response = await fetch(`${bridge.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify(activity),
  });
  await response.arrayBuffer();
  return response.status;
};

/** `Authorization` as the Bot Connector sends it for activities from `serviceUrl`, claims changed by `change`. */
const bearer = (
  serviceUrl: string,
  change: (claims: Record<string, unknown>) => Record<string, unknown> = (claims) => claims,
  key: SigningKey = teamsKey,
  kid?: string,
): string => `Bearer ${signToken(change(channelClaims(APP_ID, serviceUrl)), key, kid ? { kid } : {})}`;

const now = () => Math.floor(Date.now() / 1000);

/** Posts an install and an `sms` command, both of which act at once when let in. */
const tryBoth = async (bridge: TestBridge, authorization: (serviceUrl: string) => string | undefined) => {
  const url = bridge.connector.url;
  return [await post(bridge, botAdded(url, 'personal'), authorization(url)), await post(bridge, textMessage(url, 'sms +61411111111 Hello'), authorization(url))];
};

const expectNothingHappened = async (bridge: TestBridge) => {
  expect(bridge.connector.attempts).toEqual([]);
  expect(bridge.sandbox.state.messages).toEqual([]);
  expect(await bridge.app.store.listConversations()).toEqual([]);
};

describe('/api/messages with MicrosoftAppId set', () => {
  it('acts on activities whose token Bot Framework signed for this bot and their service url', async () => {
    const bridge = await startRegisteredBridge();
    expect(await tryBoth(bridge, (url) => bearer(url))).toEqual([200, 200]);

    expect(await bridge.app.store.listConversations()).toMatchObject([{ kind: 'personal', serviceUrl: bridge.connector.url }]);
    expect(bridge.sandbox.state.messages).toMatchObject([{ type: 'sms', body: 'Hello' }]);
    await bridge.connector.waitForCalls(2); // the welcome card and the SMS's result
    expect(openId.requests).toContain('/v1/.well-known/keys');
  });

  it("accepts a token that expired less than botbuilder's five-minute clock tolerance ago", async () => {
    const bridge = await startRegisteredBridge();
    expect(await tryBoth(bridge, (url) => bearer(url, (claims) => ({ ...claims, exp: now() - 2 * MINUTE })))).toEqual([200, 200]);
    expect(bridge.sandbox.state.messages).toHaveLength(1);
  });

  const refusals: { what: string; authorization: (serviceUrl: string) => string | undefined }[] = [
    { what: 'no Authorization header', authorization: () => undefined },
    { what: 'a Basic Authorization header', authorization: () => `Basic ${Buffer.from(`${APP_ID}:secret`).toString('base64')}` },
    { what: 'a bearer that is not a JWT', authorization: () => 'Bearer not-a-token' },
    { what: 'a token for another app', authorization: (url) => bearer(url, (claims) => ({ ...claims, aud: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d' })) },
    { what: 'a token from another issuer', authorization: (url) => bearer(url, (claims) => ({ ...claims, iss: 'https://login.example.com' })) },
    { what: 'a token that expired beyond the clock tolerance', authorization: (url) => bearer(url, (claims) => ({ ...claims, exp: now() - 10 * MINUTE })) },
    { what: 'a token signed by a key the metadata does not publish', authorization: (url) => bearer(url, undefined, unpublishedKey) },
    { what: 'a token signed by a key endorsed for another channel', authorization: (url) => bearer(url, undefined, webchatKey) },
    {
      what: 'a token whose serviceurl claim names another service',
      authorization: (url) => bearer(url, (claims) => ({ ...claims, serviceurl: 'https://smba.trafficmanager.net/amer/' })),
    },
    { what: 'a token without a serviceurl claim', authorization: (url) => bearer(url, ({ serviceurl: _, ...claims }) => claims) },
    {
      // A token shaped as one bot's call to another (a skill) takes botbuilder's skill path, which
      // fetches the Emulator metadata: overridden too, or this would reach login.microsoftonline.com.
      what: "another bot's Entra token for calling this one",
      authorization: (url) =>
        bearer(url, (claims) => ({ ...claims, iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: 'another-bot' })),
    },
  ];

  it.each(refusals)('refuses $what with 401 and does nothing', async ({ authorization }) => {
    const bridge = await startRegisteredBridge();
    expect(await tryBoth(bridge, authorization)).toEqual([401, 401]);
    await expectNothingHappened(bridge);
  });

  it('refuses a token forged under the id of a published key with 401, though botbuilder alone would answer 500', async () => {
    // jsonwebtoken's "invalid signature" escapes botbuilder 4.23.3 as a plain Error, which
    // CloudAdapter maps to 500; src/teams/adapter.ts answers every refusal with 401.
    const bridge = await startRegisteredBridge();
    expect(await tryBoth(bridge, (url) => bearer(url, undefined, unpublishedKey, teamsKey.kid))).toEqual([401, 401]);
    await expectNothingHappened(bridge);
  });

  it('logs refusals as one counted line a minute rather than one per request', async () => {
    const bridge = await startRegisteredBridge();
    for (let i = 0; i < 5; i += 1) await post(bridge, textMessage(bridge.connector.url, 'help'), undefined);
    const lines = bridge.logs().split('\n').filter((line) => line.includes('activities refused'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ refused: 1, module: 'bot-auth' });
  });

  describe("botbuilder's process-wide list of Entra issuers", () => {
    const unsignedEntraToken = (tid: string) => {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      return `Bearer ${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: `https://sts.windows.net/${tid}/`, tid, aud: APP_ID, ver: '1.0' })}.`;
    };
    const issuers = () => (ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[]).length;
    const randomTenant = () => crypto.randomUUID();

    it('is not grown by tokens naming a tenant the bridge does not serve', async () => {
      const bridge = await startTestBridge({
        env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', HOST: '127.0.0.1', ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
        deps: { botAuth: { openIdMetadataUrl: openId.metadataUrl, outboundToken: async () => OUTBOUND_TOKEN } },
      });
      const before = issuers();
      for (let i = 0; i < 40; i += 1) expect(await post(bridge, textMessage(bridge.connector.url, 'help'), unsignedEntraToken(randomTenant()))).toBe(401);
      expect(issuers()).toBe(before);
      await expectNothingHappened(bridge);
    });

    it('is not grown by other spellings of an allowed tenant (botbuilder compares them case-sensitively)', async () => {
      const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
      const bridge = await startTestBridge({
        env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', HOST: '127.0.0.1', ALLOWED_TENANT_IDS: tenant },
        deps: { botAuth: { openIdMetadataUrl: openId.metadataUrl, outboundToken: async () => OUTBOUND_TOKEN } },
      });
      const before = issuers();
      for (let i = 0; i < 30; i += 1) {
        const spelling = [...tenant].map((c) => (Math.random() < 0.5 ? c.toUpperCase() : c)).join('');
        if (spelling === tenant) continue;
        expect(await post(bridge, textMessage(bridge.connector.url, 'help'), unsignedEntraToken(spelling))).toBe(401);
      }
      expect(issuers()).toBe(before);
      await expectNothingHappened(bridge);
    });

    /** A Bot Connector token for `tid`, as Teams sends for a user of that tenant. */
    const teamsTokenOf = (tid: string) => bearer(url(), (claims) => ({ ...claims, tid }));
    /** A token the Emulator gets from Entra for this app in `tid` (botbuilder's Emulator path), signed by a published key. */
    const emulatorTokenOf = (tid: string) =>
      bearer(url(), ({ serviceurl: _, ...claims }) => ({ ...claims, iss: `https://sts.windows.net/${tid}/`, tid, ver: '1.0', appid: APP_ID }));
    let current: TestBridge | undefined;
    const url = () => current!.connector.url;
    const flood = async (bridge: TestBridge, tenants: number) => {
      const forged = Array.from({ length: tenants }, () => unsignedEntraToken(randomTenant()));
      // In waves, so that botbuilder meets many unverified tenants at the same time.
      for (let i = 0; i < forged.length; i += 25) {
        const wave = forged.slice(i, i + 25).map((token) => post(bridge, textMessage(bridge.connector.url, 'help'), token));
        expect(await Promise.all(wave)).toEqual(wave.map(() => 401));
      }
    };

    it('keeps letting new tenants in after tokens naming many tenants when no tenant is configured', async () => {
      const bridge = (current = await startRegisteredBridge());
      const verified = randomTenant();
      expect(await post(bridge, textMessage(url(), 'help'), teamsTokenOf(verified))).toBe(200);
      await flood(bridge, 100);
      expect(await post(bridge, textMessage(url(), 'help'), teamsTokenOf(verified))).toBe(200);
      expect(await post(bridge, textMessage(url(), 'help'), teamsTokenOf(randomTenant()))).toBe(200);
      expect(await post(bridge, textMessage(url(), 'help'), emulatorTokenOf(randomTenant()))).toBe(200);
      await bridge.connector.waitForCalls(4);
    });

    it('is back to its own length after every request when no tenant is configured', async () => {
      const bridge = (current = await startRegisteredBridge());
      const before = issuers();
      await flood(bridge, 100);
      expect(issuers()).toBe(before);
      expect(await post(bridge, textMessage(url(), 'help'), emulatorTokenOf(randomTenant()))).toBe(200);
      expect(await post(bridge, textMessage(url(), 'help'), teamsTokenOf(randomTenant()))).toBe(200);
      expect(issuers()).toBe(before);
    });
  });

  describe('when the signing keys cannot be fetched', () => {
    /** A login.botframework.com that fails: its metadata, or its keys, answer `status`. */
    const startFailingOpenId = async (failing: 'metadata' | 'keys') => {
      const server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if (failing === 'keys' && path === '/metadata') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `http://127.0.0.1:${port}/keys` }));
          return;
        }
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('upstream failure');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const port = (server.address() as AddressInfo).port;
      onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
      return `http://127.0.0.1:${port}/metadata`;
    };
    const unreachable = async () => {
      const server = createServer().listen(0, '127.0.0.1');
      await once(server, 'listening');
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return `http://127.0.0.1:${port}/metadata`;
    };
    const failures = [
      { what: 'the metadata server is down', metadataUrl: unreachable },
      { what: 'the metadata answers 500', metadataUrl: () => startFailingOpenId('metadata') },
      { what: 'the keys answer 500', metadataUrl: () => startFailingOpenId('keys') },
    ];

    it.each(failures)('answers 503 with Retry-After and a body of its own words when $what', async ({ metadataUrl }) => {
      const url = await metadataUrl();
      const bridge = await startTestBridge({
        env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', HOST: '127.0.0.1' },
        deps: { botAuth: { openIdMetadataUrl: url, outboundToken: async () => OUTBOUND_TOKEN } },
      });
      const response = await fetch(`${bridge.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(bridge.connector.url) },
        body: JSON.stringify(textMessage(bridge.connector.url, 'help')),
      });
      const text = await response.text();
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['code', 'error']);
      expect(body.code).toBe('ERR_BOT_AUTH_UNAVAILABLE');
      // Nothing of botbuilder's or node-fetch's own text, nor where the keys live.
      for (const leak of ['Failed to load', 'openID', 'Keys', 'ECONNREFUSED', 'FetchError', '127.0.0.1', 'metadata', 'upstream']) {
        expect(text).not.toContain(leak);
      }
      await expectNothingHappened(bridge);
    });

    it('logs the failure for the operator once a minute, not once a request', async () => {
      const url = await startFailingOpenId('metadata');
      const bridge = await startTestBridge({
        env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', HOST: '127.0.0.1' },
        deps: { botAuth: { openIdMetadataUrl: url, outboundToken: async () => OUTBOUND_TOKEN } },
      });
      for (let i = 0; i < 3; i += 1) expect(await post(bridge, textMessage(bridge.connector.url, 'help'), bearer(bridge.connector.url))).toBe(503);
      const lines = bridge.logs().split('\n').filter((line) => line.includes('could not check a Bot Framework token'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ failed: 1, module: 'bot-auth', lastReason: expect.stringContaining('500') });
      expect(lines[0]).not.toContain(OUTBOUND_TOKEN);
    });
  });
});
