import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { executeAction, textMessage } from '../helpers/activities.js';
import { startTestBridge, type TestBridge } from '../helpers/bridge.js';

/** A raw POST to /api/messages, so that a test chooses the content type and the exact bytes. */
const postRaw = async (bridge: TestBridge, body: string, contentType?: string) => {
  const response = await fetch(`${bridge.url}/api/messages`, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
};

/** `{"a":{"a":...}}` with `depth` objects. */
const nestedObject = (depth: number): unknown => {
  let value: unknown = {};
  for (let i = 1; i < depth; i += 1) value = { a: value };
  return value;
};

describe('POST /api/messages refusals', () => {
  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'answers 415 with a JSON error to the content type %s and posts nothing to Teams',
    async (contentType) => {
      const bridge = await startTestBridge();
      const answer = await postRaw(bridge, JSON.stringify(textMessage(bridge.connector.url, 'help')), contentType);
      expect(answer).toEqual({ status: 415, body: { error: expect.any(String), code: 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE' } });
      expect(bridge.connector.attempts).toEqual([]);
    },
  );

  it('answers 413 with a JSON error to an activity over 256 KB', async () => {
    const bridge = await startTestBridge();
    const activity = { ...textMessage(bridge.connector.url, 'help'), padding: Array.from({ length: 30 }, () => 'p'.repeat(9_000)) };
    const answer = await postRaw(bridge, JSON.stringify(activity), 'application/json');
    expect(answer).toEqual({ status: 413, body: { error: 'the activity is larger than 262144 bytes', code: 'ERR_ACTIVITY_TOO_LARGE' } });
    expect(bridge.connector.attempts).toEqual([]);
  });

  it('answers 415 to a gzip-encoded activity rather than inflating it (a 60 KB bomb holds 60 MB)', async () => {
    const bridge = await startTestBridge();
    const bomb = gzipSync(JSON.stringify({ ...textMessage(bridge.connector.url, 'help'), text: 'x'.repeat(60 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(256 * 1024);
    const response = await fetch(`${bridge.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'ERR_ACTIVITY_UNSUPPORTED_MEDIA_TYPE' });
    expect(bridge.connector.attempts).toEqual([]);
  });

  it('answers 413 to an activity over 256 KB sent in chunks without Content-Length', async () => {
    const bridge = await startTestBridge();
    const text = JSON.stringify({ ...textMessage(bridge.connector.url, 'help'), padding: Array.from({ length: 30 }, () => 'p'.repeat(9_000)) });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < text.length; i += 32_768) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 32_768)));
        controller.close();
      },
    });
    const response = await fetch(`${bridge.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(bridge.connector.attempts).toEqual([]);
  });

  it('answers 400 to malformed JSON', async () => {
    const bridge = await startTestBridge();
    expect((await postRaw(bridge, '{"type":"message",', 'application/json')).status).toBe(400);
  });

  it('answers 400 with a specific error to an activity nested deeper than 32 levels, before botbuilder sees it', async () => {
    const bridge = await startTestBridge();
    const activity = { ...textMessage(bridge.connector.url, 'help'), channelData: nestedObject(32) };
    const answer = await postRaw(bridge, JSON.stringify(activity), 'application/json');
    expect(answer).toEqual({ status: 400, body: { error: 'the JSON is nested deeper than 32 levels', code: 'ERR_ACTIVITY_JSON_LIMIT' } });
    expect(bridge.connector.attempts).toEqual([]);
  });

  it('answers 400 to an activity with a string over 100,000 characters', async () => {
    const bridge = await startTestBridge();
    const answer = await postRaw(bridge, JSON.stringify(textMessage(bridge.connector.url, `sms +61411111111 ${'x'.repeat(100_000)}`)), 'application/json');
    expect(answer).toMatchObject({ status: 400, body: { code: 'ERR_ACTIVITY_JSON_LIMIT' } });
    expect(bridge.sandbox.state.messages).toEqual([]);
  });

  it('takes a message that carries our deepest card as an attachment (the limits leave real activities alone)', async () => {
    const bridge = await startTestBridge();
    const card = JSON.parse(readFileSync(new URL('../../cards/contacts.json', import.meta.url), 'utf8')) as unknown;
    const activity = {
      ...textMessage(bridge.connector.url, 'help', 'channel'),
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    };
    const answer = await postRaw(bridge, JSON.stringify(activity), 'application/json; charset=utf-8');
    expect(answer.status).toBe(200);
    await bridge.connector.waitForCalls(1);
  });
});

describe('POST /api/messages activity envelope', () => {
  const invalid = (bridge: TestBridge): [string, object, string][] => {
    const message = textMessage(bridge.connector.url, 'help');
    const invoke = executeAction(bridge.connector.url, 'card-1', 'help.show', {});
    const { from: _from, ...invokeWithoutFrom } = invoke;
    return [
      // botbuilder threw "missing activity type" past its own check: a 500.
      ['an empty object', {}, 'type'],
      ['a message without conversation', { ...message, conversation: undefined }, 'conversation'],
      // botbuilder answered 501 after a TypeError in the invoke handler.
      ['a card action invoke whose value is an array', { ...invoke, value: [] }, 'value'],
      ['a card action invoke without its action', { ...invoke, value: { action: 'x' } }, 'value.action'],
      ['an invoke without from', invokeWithoutFrom, 'from'],
      ['entities that are not a list', { ...message, entities: 5 }, 'entities'],
      ['a timestamp that is not a time', { ...message, timestamp: 'soon' }, 'timestamp'],
      ['a serviceUrl that is not a URL', { ...message, serviceUrl: 'connector' }, 'serviceUrl'],
      // Found by the activity property: each was a TypeError inside botbuilder's mention handling.
      ['an entity without a type', { ...message, entities: [{ text: 'x' }] }, 'entities.0.type'],
      ['a mention without the mentioned account', { ...message, entities: [{ type: 'mention', text: '<at>x</at>' }] }, 'entities.0.mentioned'],
      ['a mention in a message without text', { ...message, text: undefined, entities: [{ type: 'mention', text: '<at>x</at>', mentioned: { id: '28:bridge-bot' } }] }, 'entities.0.text'],
    ];
  };

  it('answers 400 naming the field to activities botbuilder would fail on, and runs no turn', async () => {
    const bridge = await startTestBridge();
    for (const [what, activity, path] of invalid(bridge)) {
      const answer = await postRaw(bridge, JSON.stringify(activity), 'application/json');
      expect(answer, what).toMatchObject({ status: 400, body: { code: 'ERR_ACTIVITY_INVALID', issues: expect.arrayContaining([expect.objectContaining({ path })]) } });
    }
    expect(bridge.connector.attempts).toEqual([]);
    expect(bridge.logs()).not.toContain('unhandled turn error');
  });
});
