import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { textMessage } from '../helpers/activities.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';
import { channelClaims, createSigningKey, signToken, startOpenIdServer, type OpenIdServer } from '../helpers/openid.js';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const KIB = 1024;
/** The largest activity: what a stalled upload declares, and what a chunked one is counted as. */
const MAX_ACTIVITY = 256 * KIB;
/** Room for four bodies of the largest size being read at once. */
const BUDGET = 4 * MAX_ACTIVITY;

const teamsKey = createSigningKey('teams-key');
let openId: OpenIdServer;

beforeAll(async () => {
  openId = await startOpenIdServer([teamsKey]);
});
afterAll(() => openId.close());

const startRegisteredBridge = () =>
  startTestBridge({
    env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'app-password-not-used-here', HOST: '127.0.0.1' },
    deps: {
      botAuth: { openIdMetadataUrl: openId.metadataUrl, outboundToken: async () => 'outbound-token' },
      botRoute: { unauthenticatedBodyBytes: BUDGET },
    },
  });

const bearer = (bridge: TestBridge) => `Bearer ${signToken(channelClaims(APP_ID, bridge.connector.url), teamsKey)}`;

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * A POST to /api/messages over a socket of its own that sends the headers and `sent` of the
 * body, then nothing more: the answer must come before the body that the headers announce.
 */
const openUpload = (bridge: TestBridge, headers: Record<string, string>, sent = '') => {
  const { port } = new URL(bridge.url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  onTestFinished(() => void socket.destroy());
  const lines = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers }).map(([k, v]) => `${k}: ${v}`);
  socket.write(`POST /api/messages HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${sent}`);
  let received = '';
  const continued = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) resolve();
    });
    socket.on('close', () => reject(new Error(`closed before 100 Continue: ${received}`)));
  });
  continued.catch(() => undefined);
  /** The first final answer, parsed; rejects if none came in time. */
  const answer = (withinMs = 3_000): Promise<RawAnswer> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${withinMs} ms: ${JSON.stringify(received)}`)), withinMs);
      const check = () => {
        const text = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
        const end = text.indexOf('\r\n\r\n');
        if (end === -1) return;
        const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
        const found = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(found['content-length']);
        const rest = text.slice(end + 4);
        if (Buffer.byteLength(rest, 'latin1') < length) return;
        clearTimeout(timer);
        resolve({ status: Number(statusLine!.split(' ')[1]), headers: found, body: JSON.parse(rest.slice(0, length)) });
      };
      socket.on('data', check);
      check();
    });
  return { socket, continued, answer };
};

/** An upload of the largest activity that sends its headers and 10 bytes, then stalls; resolves once the bridge is reading it. */
const stalledUpload = async (bridge: TestBridge) => {
  const upload = openUpload(bridge, { authorization: bearer(bridge), 'content-length': String(MAX_ACTIVITY), expect: '100-continue' });
  // restify answers 100 Continue and runs the route's checks in the same turn of the event loop.
  await upload.continued;
  upload.socket.write('{"type":"m');
  return upload;
};

/** Closes the uploads' sockets, as a client that gives up does. */
const hangUp = (uploads: readonly { socket: Socket }[]) =>
  Promise.all(uploads.map(({ socket }) => (socket.closed ? undefined : new Promise((resolve) => socket.once('close', resolve).destroy()))));

/** A normal authenticated `help`, chunked (no Content-Length) unless `withLength`: it holds the largest size while read. */
const postHelp = async (bridge: TestBridge, withLength = true) => {
  const body = JSON.stringify(textMessage(bridge.connector.url, 'help'));
  const response = await fetch(`${bridge.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: bearer(bridge) },
    body: withLength ? body : new Blob([body]).stream(),
    ...(withLength ? {} : { duplex: 'half' }),
  } as RequestInit);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
};

describe('/api/messages before authentication, with MicrosoftAppId set', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a Basic Authorization header', `Basic ${Buffer.from(`${APP_ID}:secret`).toString('base64')}`],
    ['a bearer that is not a JWT', 'Bearer not-a-token'],
    ['a bearer with a fourth segment', 'Bearer a.b.c.d'],
    ['a lower-case scheme', 'bearer a.b.c'],
  ])('refuses %s with 401 before reading the body', async (_what, authorization) => {
    const bridge = await startRegisteredBridge();
    const upload = openUpload(bridge, { ...(authorization ? { authorization } : {}), 'content-length': String(MAX_ACTIVITY) });
    const answer = await upload.answer();
    expect(answer.status).toBe(401);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({ error: expect.any(String), code: 'ERR_ACTIVITY_NO_TOKEN' });
    expect(bridge.connector.attempts).toEqual([]);
  });

  it('answers 503 with Retry-After, before reading the body, once the bodies being read use up the budget', async () => {
    const bridge = await startRegisteredBridge();
    const stalled = [];
    for (let i = 0; i < BUDGET / MAX_ACTIVITY; i += 1) stalled.push(await stalledUpload(bridge));

    const next = openUpload(bridge, { authorization: bearer(bridge), 'content-length': String(MAX_ACTIVITY) });
    const answer = await next.answer();
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({ error: expect.any(String), code: 'ERR_ACTIVITY_BUSY' });
    // Even a small activity finds no room.
    expect((await postHelp(bridge)).status).toBe(503);
    expect(bridge.connector.attempts).toEqual([]);
    expect(bridge.logs()).toContain('too many bodies being read before authentication');
    await hangUp([...stalled, next]);
  });

  it('gives the budget back when the stalled clients hang up', async () => {
    const bridge = await startRegisteredBridge();
    const stalled = [];
    for (let i = 0; i < BUDGET / MAX_ACTIVITY; i += 1) stalled.push(await stalledUpload(bridge));
    expect((await postHelp(bridge)).status).toBe(503);

    await hangUp(stalled.splice(0));
    // The bridge learns of the hang-ups from its own sockets: give it a few turns.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt += 1) {
      status = (await postHelp(bridge)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
    await bridge.connector.waitForCalls(1);
    // Four whole-size uploads fit again, and a fifth does not: every byte came back, and no more.
    for (let i = 0; i < BUDGET / MAX_ACTIVITY; i += 1) stalled.push(await stalledUpload(bridge));
    expect((await postHelp(bridge)).status).toBe(503);
    await hangUp(stalled);
  });

  it('gives the budget back when an authenticated request is answered', async () => {
    const bridge = await startRegisteredBridge();
    // Each chunked request holds the largest size while it is read: more of them than the budget holds, one after another.
    for (let i = 0; i < 2 * (BUDGET / MAX_ACTIVITY); i += 1) expect((await postHelp(bridge, false)).status).toBe(200);
    await bridge.connector.waitForCalls(2 * (BUDGET / MAX_ACTIVITY));
  });

  it('gives the budget back when a token is refused after the body was read', async () => {
    const bridge = await startRegisteredBridge();
    const forged = `Bearer ${signToken(channelClaims('another-app', bridge.connector.url), teamsKey)}`;
    for (let i = 0; i < 2 * (BUDGET / MAX_ACTIVITY); i += 1) {
      const response = await fetch(`${bridge.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: forged },
        body: new Blob([JSON.stringify(textMessage(bridge.connector.url, 'help'))]).stream(),
        duplex: 'half',
      } as RequestInit);
      await response.arrayBuffer();
      expect(response.status).toBe(401);
    }
    expect((await postHelp(bridge)).status).toBe(200);
  });
});
