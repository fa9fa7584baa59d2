import { describe, expect, it } from 'vitest';
import { ClickSendMessagesFailedError } from '../../src/clicksend/errors.js';
import { createVoiceApi, VoiceMessageSchema, type VoiceMessage } from '../../src/clicksend/voice.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';


type WireMessage = { to?: string; list_id?: number; body: string; lang: string; voice: string };

const envelope = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Here you go.', data });

/** ClickSend's answer to a voice send, shaped like its OpenAPI example (numbers as strings included). */
const answer = (messages: WireMessage[], status: (m: WireMessage) => string = () => 'SUCCESS') =>
  envelope({
    total_price: messages.length * 0.07,
    total_count: messages.length,
    queued_count: messages.length,
    messages: messages.map((m, i) => ({
      date: '1436871253',
      date_added: 1436871253,
      list_id: m.list_id ?? null,
      to: m.to ?? '+61411111111',
      to_type: 'mobile',
      body: m.body,
      from: 'from',
      lang: m.lang,
      voice: m.voice,
      schedule: '',
      message_id: `VOICE-${i}`,
      message_parts: 1,
      message_price: '0.07',
      custom_string: '',
      user_id: 1,
      subaccount_id: 1,
      country: 'AU',
      require_input: 0,
      machine_detection: '1',
      carrier: 'Telstra',
      status: status(m),
    })),
    _currency: { currency_name_short: 'AUD', currency_prefix_d: '$' },
  });

const mockVoice = () => {
  const { agent, transport } = mockTransport();
  const bodies: { messages: WireMessage[] }[] = [];
  const expectPost = (path: string, times = 1, status?: (m: WireMessage) => string) =>
    agent
      .get(ORIGIN)
      .intercept({ path, method: 'POST' })
      .reply(200, (opts) => {
        const body = JSON.parse(String(opts.body)) as { messages: WireMessage[] };
        bodies.push(body);
        return answer(body.messages, status);
      })
      .times(times);
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { agent, bodies, calls, expectPost, voice: createVoiceApi(transport, { source: 'teams-test' }) };
};

const message = (overrides: Partial<VoiceMessage> = {}): VoiceMessage => ({
  to: '+61261111111',
  body: 'Your code is 1 2 3 4',
  lang: 'en-au',
  voice: 'female',
  ...overrides,
});

describe('voice over the wire', () => {
  it('posts every parameter in snake_case with numeric flags and the source tag', async () => {
    const { bodies, expectPost, voice } = mockVoice();
    expectPost('/v3/voice/send');

    const result = await voice.send([
      message({ require_input: '1', machine_detection: true, custom_string: 'ref', schedule: 1_900_000_000, country: 'AU' }),
    ]);

    expect(bodies).toEqual([
      {
        messages: [
          {
            to: '+61261111111',
            body: 'Your code is 1 2 3 4',
            lang: 'en-au',
            voice: 'female',
            require_input: 1,
            machine_detection: 1,
            custom_string: 'ref',
            schedule: 1_900_000_000,
            country: 'AU',
            source: 'teams-test',
          },
        ],
      },
    ]);
    expect(result).toMatchObject({ total_count: 1, queued_count: 1, total_price: 0.07 });
    expect(result.messages[0]).toMatchObject({
      message_id: 'VOICE-0',
      to_type: 'mobile',
      lang: 'en-au',
      voice: 'female',
      message_price: 0.07,
      machine_detection: 1,
      date_added: 1436871253,
      user_id: '1',
      status: 'SUCCESS',
    });
  });

  it('splits 2,500 calls into requests of 1,000, 1,000 and 500 and merges the totals', async () => {
    const { bodies, expectPost, voice } = mockVoice();
    expectPost('/v3/voice/send', 3);

    const result = await voice.send(Array.from({ length: 2500 }, () => message()));

    expect(bodies.map((b) => b.messages.length)).toEqual([1000, 1000, 500]);
    expect(result).toMatchObject({ total_count: 2500, queued_count: 2500, total_price: 175 });
  });

  it('throws ClickSendMessagesFailedError keeping every status when a call is refused', async () => {
    const { expectPost, voice } = mockVoice();
    expectPost('/v3/voice/send', 1, (m) => (m.to === '+61400000000' ? 'INVALID_RECIPIENT' : 'SUCCESS'));

    const error = await voice.send([message({ to: '+61400000000' }), message()]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([
      { index: 0, to: '+61400000000', status: 'INVALID_RECIPIENT' },
    ]);
  });

  it('prices at /voice/price without throwing for refused numbers', async () => {
    const { bodies, expectPost, voice } = mockVoice();
    expectPost('/v3/voice/price', 1, () => 'INVALID_RECIPIENT');

    const result = await voice.price([message({ to: undefined, list_id: 9, voice: 'male' })]);

    expect(bodies[0]?.messages[0]).toMatchObject({ list_id: 9, voice: 'male', source: 'teams-test' });
    expect(result.messages[0]?.status).toBe('INVALID_RECIPIENT');
  });

  it('lists languages with gender always an array, whether ClickSend sends one string or several', async () => {
    const { agent, voice } = mockVoice();
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/voice/lang', method: 'GET' })
      .reply(
        200,
        envelope([
          { code: 'en-us', country: 'English, US', gender: 'male' },
          { code: 'en-au', country: 'English, Australia', gender: ['female', 'male'] },
        ]),
      );

    expect(await voice.languages()).toEqual([
      { code: 'en-us', country: 'English, US', gender: ['male'] },
      { code: 'en-au', country: 'English, Australia', gender: ['female', 'male'] },
    ]);
  });
});

describe('voice input checks', () => {
  const refusedPaths = async (messages: VoiceMessage[]) => {
    const { calls, voice } = mockVoice();
    const error = await voice.send(messages).catch((e: unknown) => e);
    expect(calls()).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues.map((i) => i.path);
  };

  it('refuses a voice other than female or male before calling ClickSend', async () => {
    expect(await refusedPaths([message({ voice: 'robot' as 'male' })])).toEqual(['messages.0.voice']);
  });

  it('refuses a text over 1,200 characters before calling ClickSend', async () => {
    expect(await refusedPaths([message({ body: 'a'.repeat(1201) })])).toEqual(['messages.0.body']);
  });

  it('refuses a language that is not a language code before calling ClickSend', async () => {
    expect(await refusedPaths([message({ lang: 'English' })])).toEqual(['messages.0.lang']);
  });

  it('refuses require_input other than 0 or 1 before calling ClickSend', async () => {
    expect(await refusedPaths([message({ require_input: 2 as 1 })])).toEqual(['messages.0.require_input']);
  });

  it('refuses a message with neither to nor list_id before calling ClickSend', async () => {
    expect(await refusedPaths([message({ to: undefined })])).toEqual(['messages.0.to']);
  });

  it('reads card values for the flags: "0"/"1" and toggles', () => {
    const parsed = VoiceMessageSchema.parse(message({ require_input: '0', machine_detection: false }));
    expect(parsed).toMatchObject({ require_input: 0, machine_detection: 0 });
  });
});

describe('voice against the sandbox', () => {
  const NOCREDIT = { username: 'nocredit', apiKey: 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE' };

  it('calls a landline and answers with its type, language, voice and price', async () => {
    const { client, sandbox } = await startSandboxClient();

    const result = await client.voice.send([message({ to: '+61262345678', machine_detection: 1, custom_string: 'call-1' })]);

    expect(result).toMatchObject({ total_count: 1, queued_count: 1 });
    expect(result.messages[0]).toMatchObject({
      to: '+61262345678',
      to_type: 'landline',
      lang: 'en-au',
      voice: 'female',
      custom_string: 'call-1',
      status: 'SUCCESS',
    });
    expect(result.messages[0]?.message_price).toBeGreaterThan(0);
    expect(sandbox.state.messages.map((m) => m.type)).toEqual(['voice']);
  });

  it('calls every contact of a list given by list_id', async () => {
    const { client } = await startSandboxClient();
    const list = await client.lists.create({ list_name: 'On call' });
    await client.contacts.create(list.list_id, { phone_number: '+61433333333' });

    const result = await client.voice.send([message({ to: undefined, list_id: list.list_id })]);

    expect(result.messages.map((m) => [m.to, m.list_id, m.status])).toEqual([['+61433333333', list.list_id, 'SUCCESS']]);
  });

  it('throws ClickSendMessagesFailedError with every status for a bad number and a voice the language lacks', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.voice
      .send([message({ to: '+61411111111' }), message({ to: '+6112345' }), message({ lang: 'en-in', voice: 'male' })])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed.map((f) => [f.index, f.status])).toEqual([
      [1, 'INVALID_RECIPIENT'],
      [2, 'INVALID_VOICE'],
    ]);
    expect(sandbox.state.messages).toHaveLength(1);
  });

  it('reports INSUFFICIENT_CREDIT per call for the nocredit test user', async () => {
    const { client } = await startSandboxClient({ client: { credentials: NOCREDIT } });

    const error = await client.voice.send([message()]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed.map((f) => f.status)).toEqual(['INSUFFICIENT_CREDIT']);
  });

  it('lists the languages with their genders as arrays', async () => {
    const { client } = await startSandboxClient();

    const languages = await client.voice.languages();

    expect(languages).toContainEqual({ code: 'en-au', country: 'English, Australia', gender: ['female', 'male'] });
    expect(languages.find((l) => l.code === 'en-in')?.gender).toEqual(['female']);
  });

  it('refuses a voice that is neither female nor male without calling anyone', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.voice.send([message({ voice: 'child' as 'female' })]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(['messages.0.voice']);
    expect(sandbox.state.messages).toHaveLength(0);
  });
});
