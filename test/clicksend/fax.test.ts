import { describe, expect, it } from 'vitest';
import { ClickSendMessagesFailedError } from '../../src/clicksend/errors.js';
import { createFaxApi, type FaxSendRequest } from '../../src/clicksend/fax.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const PDF = 'https://files.example.com/invoice.pdf';


type WireBody = { file_url: string; messages: { to?: string; list_id?: number; from?: string }[] };

/** ClickSend's fax answer, with the loose types of its examples (`list_id` and `status_code` as strings). */
const answer = (body: WireBody, status: (to: string | undefined) => string) => ({
  http_code: 200,
  response_code: 'SUCCESS',
  response_msg: 'Messages queued for delivery.',
  data: {
    total_price: '2.2',
    total_count: body.messages.length,
    queued_count: body.messages.length,
    messages: body.messages.map((m, i) => ({
      user_id: 1,
      subaccount_id: 1,
      list_id: m.list_id === undefined ? '' : String(m.list_id),
      message_id: `FAX-${i}`,
      to: m.to ?? '+61261111111',
      from: m.from ?? '+61298444214',
      carrier: 'Telstra',
      country: 'AU',
      custom_string: null,
      message_pages: '1',
      message_price: '1.1000',
      status_code: '',
      status_text: null,
      date_added: 1457572619,
      from_email: null,
      _file_url: body.file_url,
      status: status(m.to),
    })),
    _currency: { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars' },
  },
});

const mockFax = () => {
  const { agent, transport } = mockTransport();
  const bodies: WireBody[] = [];
  const expectSend = (status: (to: string | undefined) => string = () => 'SUCCESS', times = 1) =>
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/fax/send', method: 'POST' })
      .reply(200, (opts) => {
        const body = JSON.parse(String(opts.body)) as WireBody;
        bodies.push(body);
        return answer(body, status);
      })
      .times(times);
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { bodies, calls, expectSend, fax: createFaxApi(transport, { source: 'teams-test' }) };
};

describe('fax over the wire', () => {
  it('posts file_url and snake_case messages tagged with source, and reads pages and status', async () => {
    const { bodies, expectSend, fax } = mockFax();
    expectSend();

    const result = await fax.send({
      file_url: PDF,
      messages: [
        { to: '+61261111111', from: '+61298444214', custom_string: 'inv-7', schedule: 1_900_000_000, country: 'AU' },
        { list_id: 12 },
      ],
    });

    expect(bodies).toEqual([
      {
        file_url: PDF,
        messages: [
          {
            to: '+61261111111',
            from: '+61298444214',
            custom_string: 'inv-7',
            schedule: 1_900_000_000,
            country: 'AU',
            source: 'teams-test',
          },
          { list_id: 12, source: 'teams-test' },
        ],
      },
    ]);
    expect(result).toMatchObject({ total_price: 2.2, total_count: 2, queued_count: 2 });
    expect(result.messages[0]).toMatchObject({
      message_id: 'FAX-0',
      message_pages: 1,
      message_price: 1.1,
      _file_url: PDF,
      status: 'SUCCESS',
    });
    expect(result.messages[1]?.list_id).toBe(12);
  });

  it('splits more than 1,000 recipients into batches that all carry the file_url', async () => {
    const { bodies, expectSend, fax } = mockFax();
    expectSend(undefined, 2);

    const result = await fax.send({ file_url: PDF, messages: Array.from({ length: 1001 }, () => ({ to: '+61261111111' })) });

    expect(bodies.map((b) => [b.file_url, b.messages.length])).toEqual([
      [PDF, 1000],
      [PDF, 1],
    ]);
    expect(result.total_count).toBe(1001);
  });

  it('throws ClickSendMessagesFailedError keeping every status when a fax number is refused', async () => {
    const { expectSend, fax } = mockFax();
    expectSend((to) => (to === '+61299999999' ? 'INVALID_RECIPIENT' : 'SUCCESS'));

    const error = await fax
      .send({ file_url: PDF, messages: [{ to: '+61261111111' }, { to: '+61299999999' }] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([{ index: 1, to: '+61299999999', status: 'INVALID_RECIPIENT' }]);
  });
});

describe('fax input checks', () => {
  const refusedPaths = async (input: FaxSendRequest) => {
    const { calls, fax } = mockFax();
    const error = await fax.send(input).catch((e: unknown) => e);
    expect(calls()).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues.map((i) => i.path);
  };

  it('refuses a file_url that is not https before calling ClickSend', async () => {
    expect(await refusedPaths({ file_url: 'ftp://files.example.com/a.pdf', messages: [{ to: '+61261111111' }] })).toEqual([
      'file_url',
    ]);
  });

  it('refuses a fax number that is not E.164 before calling ClickSend', async () => {
    expect(await refusedPaths({ file_url: PDF, messages: [{ to: '02 6111 1111' }] })).toEqual(['messages.0.to']);
  });

  it('refuses an alphanumeric sender, which a fax cannot have, before calling ClickSend', async () => {
    expect(await refusedPaths({ file_url: PDF, messages: [{ to: '+61261111111', from: 'ACME' }] })).toEqual([
      'messages.0.from',
    ]);
  });

  it('refuses a fax without recipients before calling ClickSend', async () => {
    expect(await refusedPaths({ file_url: PDF, messages: [] })).toEqual(['messages']);
  });
});

describe('fax against the sandbox', () => {
  const NOCREDIT = { username: 'nocredit', apiKey: 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE' };
  const TWO_PAGES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Page >>\n2 0 obj << /Type /Page >>\n%%EOF');

  it('faxes an uploaded PDF and answers with its pages, price and file URL', async () => {
    const { client, sandbox } = await startSandboxClient();
    const { _url } = await client.uploads.upload({ convert: 'fax', content: TWO_PAGES });

    const result = await client.fax.send({ file_url: _url, messages: [{ to: '+61261111111', custom_string: 'inv-1' }] });

    expect(result).toMatchObject({ total_count: 1, queued_count: 1, _currency: { currency_name_short: 'AUD' } });
    expect(result.messages[0]).toMatchObject({
      to: '+61261111111',
      message_pages: 2,
      custom_string: 'inv-1',
      _file_url: _url,
      status: 'SUCCESS',
    });
    expect(sandbox.state.messages.map((m) => m.type)).toEqual(['fax']);
  });

  it('faxes every contact of a list that has a fax number', async () => {
    const { client } = await startSandboxClient();
    const list = await client.lists.create({ list_name: 'Fax office' });
    await client.contacts.create(list.list_id, { fax_number: '+61262222222' });
    await client.contacts.create(list.list_id, { email: 'no-fax@example.com' });

    const result = await client.fax.send({ file_url: PDF, messages: [{ list_id: list.list_id }] });

    expect(result.messages.map((m) => [m.to, m.list_id, m.status])).toEqual([['+61262222222', list.list_id, 'SUCCESS']]);
  });

  it('throws ClickSendMessagesFailedError with every status when a fax number is not a real number', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.fax
      .send({ file_url: PDF, messages: [{ to: '+6112345' }, { to: '+61263333333' }] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([{ index: 0, to: '+6112345', status: 'INVALID_RECIPIENT' }]);
    expect(sandbox.state.messages).toHaveLength(1);
  });

  it('reports INSUFFICIENT_CREDIT per fax for the nocredit test user', async () => {
    const { client } = await startSandboxClient({ client: { credentials: NOCREDIT } });

    const error = await client.fax.send({ file_url: PDF, messages: [{ to: '+61261111111' }] }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed.map((f) => f.status)).toEqual(['INSUFFICIENT_CREDIT']);
  });

  it('refuses a plain-http file_url off loopback without faxing anything', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.fax
      .send({ file_url: 'http://files.example.com/a.pdf', messages: [{ to: '+61261111111' }] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(['file_url']);
    expect(sandbox.state.messages).toHaveLength(0);
  });
});
