import { describe, expect, it } from 'vitest';
import { ClickSendMessagesFailedError, ClickSendPartialSendError } from '../../src/clicksend/errors.js';
import { createMmsApi, type MmsMessage } from '../../src/clicksend/mms.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const MEDIA = 'https://cdn.example.com/koala.jpg';
const CURRENCY = { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars' };


type WireMessage = { to?: string; list_id?: number; subject: string; body: string; custom_string?: string };
type WireBody = { media_file: string; messages: WireMessage[] };

/** ClickSend's answer to a send: every message echoed with `status` (SUCCESS unless `refuse` says otherwise). */
const answer = (body: WireBody, refuse: (m: WireMessage) => string | undefined = () => undefined) => ({
  http_code: 200,
  response_code: 'SUCCESS',
  response_msg: 'Messages queued for delivery.',
  data: {
    total_price: (body.messages.length * 0.242).toFixed(4),
    total_count: body.messages.length,
    queued_count: body.messages.filter((m) => !refuse(m)).length,
    messages: body.messages.map((m, i) => ({
      list_id: m.list_id ?? null,
      contact_id: null,
      message_id: `MMS-${i}`,
      to: m.to ?? '+61411111111',
      subject: m.subject,
      from: '+61411111111',
      body: m.body,
      country: 'AU',
      custom_string: m.custom_string ?? '',
      schedule: '',
      message_parts: 1,
      message_price: '0.2420',
      _media_file_url: body.media_file,
      status: refuse(m) ?? 'SUCCESS',
    })),
    _currency: CURRENCY,
  },
});

const mockMms = () => {
  const { agent, transport } = mockTransport();
  const bodies: WireBody[] = [];
  const expectPost = (path: string, times = 1, refuse?: (m: WireMessage) => string | undefined) =>
    agent
      .get(ORIGIN)
      .intercept({ path, method: 'POST' })
      .reply(200, (opts) => {
        const body = JSON.parse(String(opts.body)) as WireBody;
        bodies.push(body);
        return answer(body, refuse);
      })
      .times(times);
  return { agent, bodies, expectPost, mms: createMmsApi(transport, { source: 'teams-test' }) };
};

const message = (overrides: Partial<MmsMessage> = {}): MmsMessage => ({
  to: '+61411111111',
  subject: 'Koala',
  body: 'A koala for you',
  ...overrides,
});

describe('mms over the wire', () => {
  it('posts media_file once and every message in snake_case tagged with source', async () => {
    const { bodies, expectPost, mms } = mockMms();
    expectPost('/v3/mms/send');

    const result = await mms.send({
      media_file: MEDIA,
      messages: [message({ from: '+61422222222', custom_string: 'ref-1', schedule: 1_900_000_000, country: 'AU' })],
    });

    expect(bodies).toEqual([
      {
        media_file: MEDIA,
        messages: [
          {
            to: '+61411111111',
            subject: 'Koala',
            body: 'A koala for you',
            from: '+61422222222',
            custom_string: 'ref-1',
            schedule: 1_900_000_000,
            country: 'AU',
            source: 'teams-test',
          },
        ],
      },
    ]);
    expect(result).toMatchObject({ total_price: 0.242, total_count: 1, queued_count: 1, _currency: CURRENCY });
    expect(result.messages[0]).toMatchObject({
      message_id: 'MMS-0',
      subject: 'Koala',
      message_price: 0.242,
      _media_file_url: MEDIA,
      status: 'SUCCESS',
    });
    expect(result.messages[0]?.schedule).toBeUndefined();
  });

  it('splits 2,500 messages into requests of 1,000, 1,000 and 500 sharing one media_file, and merges the totals', async () => {
    const { bodies, expectPost, mms } = mockMms();
    expectPost('/v3/mms/send', 3);
    const messages = Array.from({ length: 2500 }, (_, i) => message({ custom_string: `n${i}` }));

    const result = await mms.send({ media_file: MEDIA, messages });

    expect(bodies.map((b) => b.messages.length)).toEqual([1000, 1000, 500]);
    expect(bodies.every((b) => b.media_file === MEDIA)).toBe(true);
    expect(bodies[2]?.messages[0]?.custom_string).toBe('n2000');
    expect(result).toMatchObject({ total_count: 2500, queued_count: 2500, total_price: 605 });
    expect(result.messages).toHaveLength(2500);
  });

  it('keeps the batches already sent when a later batch fails', async () => {
    const { agent, expectPost, mms } = mockMms();
    expectPost('/v3/mms/send');
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/mms/send', method: 'POST' })
      .reply(500, { http_code: 500, response_code: 'INTERNAL_ERROR', response_msg: 'boom', data: null });
    const messages = Array.from({ length: 1500 }, () => message());

    const error = await mms.send({ media_file: MEDIA, messages }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendPartialSendError);
    expect(error).toMatchObject({ unsentCount: 500, sent: { total_count: 1000 } });
  });

  it('throws ClickSendMessagesFailedError keeping every status when ClickSend refuses a recipient', async () => {
    const { expectPost, mms } = mockMms();
    expectPost('/v3/mms/send', 1, (m) => (m.to === '+61400000000' ? 'INVALID_RECIPIENT' : undefined));

    const error = await mms
      .send({ media_file: MEDIA, messages: [message(), message({ to: '+61400000000' })] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    const failed = error as ClickSendMessagesFailedError;
    expect(failed.failed).toEqual([{ index: 1, to: '+61400000000', status: 'INVALID_RECIPIENT' }]);
    expect(failed.result).toMatchObject({ messages: [{ status: 'SUCCESS' }, { status: 'INVALID_RECIPIENT' }] });
  });

  it('prices at /mms/price and returns refused recipients instead of throwing', async () => {
    const { bodies, expectPost, mms } = mockMms();
    expectPost('/v3/mms/price', 1, () => 'INVALID_RECIPIENT');

    const result = await mms.price({ media_file: MEDIA, messages: [message({ list_id: 42, to: undefined })] });

    expect(bodies[0]?.messages[0]).toEqual({ list_id: 42, subject: 'Koala', body: 'A koala for you', source: 'teams-test' });
    expect(result.messages[0]?.status).toBe('INVALID_RECIPIENT');
  });

  it('accepts a plain-http media_file on loopback, where the sandbox serves uploads', async () => {
    const { bodies, expectPost, mms } = mockMms();
    expectPost('/v3/mms/send');

    await mms.send({ media_file: 'http://127.0.0.1:4010/uploads/1.jpg', messages: [message()] });

    expect(bodies[0]?.media_file).toBe('http://127.0.0.1:4010/uploads/1.jpg');
  });
});

describe('mms input checks', () => {
  const refused = async (input: Parameters<ReturnType<typeof createMmsApi>['send']>[0]) => {
    const { agent, mms } = mockMms();
    const error = await mms.send(input).catch((e: unknown) => e);
    expect(agent.getCallHistory()?.calls() ?? []).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues.map((i) => i.path);
  };

  it('refuses a subject over 20 characters before calling ClickSend', async () => {
    expect(await refused({ media_file: MEDIA, messages: [message({ subject: 'x'.repeat(21) })] })).toEqual([
      'messages.0.subject',
    ]);
  });

  it('refuses a message without a subject before calling ClickSend', async () => {
    expect(await refused({ media_file: MEDIA, messages: [message({ subject: '' })] })).toEqual(['messages.0.subject']);
  });

  it('refuses a body over 1,500 characters before calling ClickSend', async () => {
    expect(await refused({ media_file: MEDIA, messages: [message({ body: 'a'.repeat(1501) })] })).toEqual([
      'messages.0.body',
    ]);
  });

  it('refuses a media_file that is not https before calling ClickSend', async () => {
    expect(await refused({ media_file: 'http://cdn.example.com/koala.jpg', messages: [message()] })).toEqual(['media_file']);
    expect(await refused({ media_file: 'koala.jpg', messages: [message()] })).toEqual(['media_file']);
  });

  it('refuses a media_file URL longer than 2,048 characters before calling ClickSend', async () => {
    const long = `https://cdn.example.com/${'a'.repeat(2048)}.jpg`;
    expect(await refused({ media_file: long, messages: [message()] })).toEqual(['media_file']);
  });

  it('refuses a message with both to and list_id before calling ClickSend', async () => {
    expect(await refused({ media_file: MEDIA, messages: [message({ list_id: 7 })] })).toEqual(['messages.0.to']);
  });

  it('refuses a send without recipients before calling ClickSend', async () => {
    expect(await refused({ media_file: MEDIA, messages: [] })).toEqual(['messages']);
  });
});

describe('mms against the sandbox', () => {
  const NOCREDIT = { username: 'nocredit', apiKey: 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE' };

  it('sends an uploaded picture and answers each message with its subject, price and media URL', async () => {
    const { client, sandbox } = await startSandboxClient();
    const { _url } = await client.uploads.upload({ convert: 'mms', content: Buffer.from('not really a png') });

    const result = await client.mms.send({ media_file: _url, messages: [message({ custom_string: 'ref-9' })] });

    expect(result).toMatchObject({ total_count: 1, queued_count: 1, _currency: { currency_name_short: 'AUD' } });
    expect(result.messages[0]).toMatchObject({
      to: '+61411111111',
      subject: 'Koala',
      body: 'A koala for you',
      custom_string: 'ref-9',
      _media_file_url: _url,
      status: 'SUCCESS',
    });
    expect(typeof result.messages[0]?.message_id).toBe('string');
    expect(sandbox.state.messages.map((m) => [m.type, m.to])).toEqual([['mms', '+61411111111']]);
  });

  it('sends to every contact of a list given by list_id', async () => {
    const { client } = await startSandboxClient();
    const list = await client.lists.create({ list_name: 'MMS fans' });
    for (const phone_number of ['+61411111111', '+61422222222']) await client.contacts.create(list.list_id, { phone_number });

    const result = await client.mms.send({ media_file: MEDIA, messages: [message({ to: undefined, list_id: list.list_id })] });

    expect(result.messages.map((m) => [m.to, m.list_id, m.status])).toEqual([
      ['+61411111111', list.list_id, 'SUCCESS'],
      ['+61422222222', list.list_id, 'SUCCESS'],
    ]);
  });

  it('throws ClickSendMessagesFailedError with every status when one number is not a real number', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.mms
      .send({ media_file: MEDIA, messages: [message(), message({ to: '+6112345' })] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([{ index: 1, to: '+6112345', status: 'INVALID_RECIPIENT' }]);
    expect(sandbox.state.messages).toHaveLength(1);
  });

  it('reports INSUFFICIENT_CREDIT per message for the nocredit test user', async () => {
    const { client, sandbox } = await startSandboxClient({ client: { credentials: NOCREDIT } });

    const error = await client.mms.send({ media_file: MEDIA, messages: [message()] }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed.map((f) => f.status)).toEqual(['INSUFFICIENT_CREDIT']);
    expect(sandbox.state.messages).toHaveLength(0);
  });

  it('refuses a subject over 20 characters without sending anything', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.mms
      .send({ media_file: MEDIA, messages: [message({ subject: 'A subject far too long' })] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(['messages.0.subject']);
    expect(sandbox.state.messages).toHaveLength(0);
  });
});
