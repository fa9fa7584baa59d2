import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger, restifyLogger, type Logger, type LoggerOptions } from '../src/log.js';
import { scrubFields } from '../src/log-scrub.js';
import { findSecrets } from './helpers/leaks.js';

const API_KEY = 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE';
const APP_PASSWORD = 'Xq8~p/Lm+2"secret&=';
const TOKEN = 'wh-token-0123456789abcdef0123456789abcdef';

/** A real logger whose lines land in memory, unparsed: what an operator would read. */
const capture = (options: Partial<LoggerOptions> = {}): { log: Logger; text: () => string; last: () => Record<string, unknown> } => {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', ...options, destination: { write: (line) => lines.push(line) } });
  return { log, text: () => lines.join(''), last: () => JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown> };
};

describe('secrets in log lines', () => {
  it('censors secret-bearing keys at any depth, yet shows whether a secret is set', () => {
    const { log, last } = capture();
    log.info({
      MicrosoftAppPassword: APP_PASSWORD,
      deep: { a: { b: { c: { headers: { Authorization: `Basic ${API_KEY}`, 'x-api-key': API_KEY, accept: 'json' } } } } },
      env: { CLICKSEND_API_KEY: API_KEY, WEBHOOK_TOKEN: TOKEN, METRICS_TOKEN: TOKEN },
      list: [{ password: APP_PASSWORD }, { token: TOKEN }],
      config: { bot: { appPassword: 'set' }, clicksend: { apiKey: 'unset' } },
    }, 'configured');
    expect(last()).toMatchObject({
      MicrosoftAppPassword: '[redacted]',
      deep: { a: { b: { c: { headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', accept: 'json' } } } } },
      env: { CLICKSEND_API_KEY: '[redacted]', WEBHOOK_TOKEN: '[redacted]', METRICS_TOKEN: '[redacted]' },
      list: [{ password: '[redacted]' }, { token: '[redacted]' }],
      config: { bot: { appPassword: 'set' }, clicksend: { apiKey: 'unset' } },
    });
  });

  it('censors credentials inside URLs in fields, messages and error stacks', () => {
    const { log, text } = capture();
    const url = `http://127.0.0.1:3978/webhooks/clicksend/inbound?token=${TOKEN}&x=1`;
    log.warn({ url, other: 'https://bob:hunter2secret@db.example.com/x?access_token=abc123def&sig=zzz999' }, `posting to ${url}`);
    log.error({ err: new TypeError(`fetch failed for ${url}`) }, 'push failed');
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain('hunter2secret');
    expect(text()).not.toContain('abc123def');
    expect(text()).not.toContain('zzz999');
    expect(text()).toContain('/webhooks/clicksend/inbound?token=[redacted]&x=1');
    expect(text()).toContain('https://bob:[redacted]@db.example.com/x?access_token=[redacted]&sig=[redacted]');
    expect(text()).toContain('"type":"TypeError"');
  });

  it('censors the configured secrets however they are written, under any key and in the message', () => {
    const { log, text } = capture({ level: 'trace', secrets: [API_KEY, APP_PASSWORD, TOKEN, undefined] });
    const basic = Buffer.from(`bridge-user:${API_KEY}`).toString('base64');
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      log.trace({ sent: Buffer.from(`${prefix}:${API_KEY}:${APP_PASSWORD}`).toString('base64') }, 'encoded');
    }
    log.debug({ header: `Basic ${basic}`, raw: basic, note: `key ${API_KEY}` }, `password is ${APP_PASSWORD}`);
    log.info({ encoded: encodeURIComponent(APP_PASSWORD), where: `/hook/${TOKEN}` }, 'url-encoded');
    expect(text().match(/"sent":"[^"]*\[redacted\]/g)).toHaveLength(4);
    expect(findSecrets(text(), { API_KEY, APP_PASSWORD, TOKEN })).toEqual([]);
    expect(text()).toContain('"note":"key [redacted]"');
  });

  it('censors a logged request and an error that carries one', () => {
    const { log, text } = capture({ level: 'debug' });
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.url = `/webhooks/clicksend/inbound?token=${TOKEN}`;
    req.headers = { authorization: `Bearer ${TOKEN}`, cookie: `s=${TOKEN}`, 'content-type': 'application/json' };
    const error = Object.assign(new Error('Teams answered 401'), { request: { url: 'https://smba.example/v3', headers: { _headersMap: { authorization: { value: 'Bearer eyJhbGciOi.abc.def' } } } } });
    log.info({ req }, 'request');
    log.error({ err: error }, 'teams call failed');
    log.error(error);
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain('eyJhbGciOi');
    expect(text()).toContain('"method":"POST"');
    expect(text()).toContain('"content-type":"application/json"');
  });
});

describe('the logger handed to restify', () => {
  it('writes restify\'s warnings through the same passes and leaves out its trace chatter', () => {
    const { log, text } = capture({ level: 'trace' });
    const restify = restifyLogger(log) as unknown as Logger;
    // restify calls trace() with no arguments to ask whether tracing is on.
    (restify.trace as () => void)();
    restify.warn({ req: { url: `/api/messages?token=${TOKEN}`, headers: { authorization: `Bearer ${TOKEN}` } } }, 'error retrieving formatter');
    expect(text().trim().split('\n')).toHaveLength(1);
    expect(text()).toContain('"module":"restify"');
    expect(text()).toContain('"url":"/api/messages?token=[redacted]"');
    expect(text()).not.toContain(TOKEN);
  });
});

describe('phone numbers and message text', () => {
  const fields = { from: '+61411111111', to: '0422 222 222', number: 61433333333, body: 'Is the 3pm slot free?', text: 'sms +61444444444 hi', sms: { message_text: 'hello there' } };

  it('masks numbers and omits texts above debug, keeping message and error text', () => {
    const { log, last, text } = capture();
    const err = new Error('cannot send to +14055555555');
    log.info({ ...fields, phone: ['+61466666666', '0477 777 777'], input: '0455 555 555', messageId: 'ABC-123', err, url: '/x?to=%2B61488888888' }, 'reply from +61411111111 sent');
    expect(last()).toMatchObject({
      input: '*******555',
      phone: ['+61******666', '*******777'],
      from: '+61******111',
      to: '*******222',
      number: '********333',
      body: '[21 chars]',
      text: '[19 chars]',
      sms: { message_text: '[11 chars]' },
      messageId: 'ABC-123',
      msg: 'reply from +61******111 sent',
      err: { message: 'cannot send to +1*******555' },
      url: '/x?to=+61******888',
    });
    for (const detail of ['61411111111', '0422 222 222', '0455 555 555', '61433333333', '44444444', '3pm slot', 'hello there', '4055555555']) {
      expect(text()).not.toContain(detail);
    }
  });

  it('leaves a number the call site masked, and a count, as they were', () => {
    const { log, last } = capture();
    log.info({ from: '+61******111', number: 3 }, 'inbound sms stored');
    expect(last()).toMatchObject({ from: '+61******111', number: 3 });
  });

  it('shows numbers and texts in full at debug, and still no secrets', () => {
    const { log, last } = capture({ level: 'debug', secrets: [API_KEY] });
    log.info({ ...fields, apiKey: API_KEY, note: API_KEY }, 'reply from +61411111111 sent');
    expect(last()).toMatchObject({ ...fields, apiKey: '[redacted]', note: '[redacted]', msg: 'reply from +61411111111 sent' });
  });

  it('follows the root level when it changes, in child loggers too', () => {
    const { log, text } = capture();
    const child = log.child({ module: 'relay' });
    child.info({ from: '+61411111111' }, 'first');
    log.level = 'debug';
    child.info({ from: '+61422222222' }, 'second');
    expect(text()).toContain('"from":"+61******111"');
    expect(text()).toContain('"from":"+61422222222"');
  });
});

describe('the field pass', () => {
  it('returns the very object when nothing needs rewriting', () => {
    const fields = { messageId: 'm1', ids: ['a', 'b'], nested: { status: 'sent', count: 2 } };
    expect(scrubFields(fields, false)).toBe(fields);
  });

  it('scrubs an object logged twice and stops at cycles', () => {
    const shared: Record<string, unknown> = { password: APP_PASSWORD };
    shared.self = shared;
    const out = scrubFields({ a: shared, b: shared }, true) as { a: Record<string, unknown>; b: Record<string, unknown> };
    expect(out.a.password).toBe('[redacted]');
    expect(out.b.password).toBe('[redacted]');
  });
});
