import { describe, expect, it } from 'vitest';
import { ClickSendMessagesFailedError } from '../../src/clicksend/errors.js';
import { createPostApi, type LetterSendRequest, type PostRecipient } from '../../src/clicksend/post.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient, type SandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const PDF = 'https://files.example.com/letter.pdf';
const RETURN_ADDRESS = {
  return_address_id: 4,
  user_id: 1,
  address_name: 'My Address',
  address_line_1: 'Maritime Avenue',
  address_line_2: '',
  address_city: 'Flynn',
  address_state: 'WA',
  address_postal_code: '6302',
  address_country: 'AU',
};


const envelope = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Here you go.', data });

type WireRecipient = Record<string, unknown> & { address_name: string; address_postal_code: string };

/** ClickSend's post answer; postal code 99999 stands for an address it refuses. */
const answer = (body: { recipients: WireRecipient[] }) =>
  envelope({
    total_price: '5.2',
    total_count: body.recipients.length,
    queued_count: body.recipients.filter((r) => r.address_postal_code !== '99999').length,
    recipients: body.recipients.map((r, i) => ({
      ...r,
      message_id: `POST-${i}`,
      post_pages: '2',
      post_price: '2.6000',
      date_added: 1507090860,
      schedule: '',
      _file_url: 'https://rest.clicksend.com/files/letter.pdf',
      _return_address: RETURN_ADDRESS,
      _api_username: 'user',
      status: r.address_postal_code === '99999' ? 'INVALID_RECIPIENT' : 'SUCCESS',
    })),
    _currency: { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars' },
  });

const mockPost = () => {
  const { agent, transport } = mockTransport();
  const bodies: unknown[] = [];
  const on = (path: string, method: string, reply: (body: never) => unknown) =>
    agent
      .get(ORIGIN)
      .intercept({ path, method })
      .reply(200, (opts) => {
        const body: unknown = opts.body === undefined || opts.body === null ? undefined : JSON.parse(String(opts.body));
        bodies.push(body);
        return reply(body as never) as object;
      });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { bodies, calls, on, post: createPostApi(transport, { source: 'teams-test' }) };
};

const recipient = (overrides: Partial<PostRecipient> = {}): PostRecipient => ({
  address_name: 'Jane Citizen',
  address_line_1: '1 Test Street',
  address_city: 'Perth',
  address_state: 'WA',
  address_postal_code: '11111',
  address_country: 'AU',
  return_address_id: 4,
  ...overrides,
});

const letter = (overrides: Partial<LetterSendRequest> = {}): LetterSendRequest => ({
  file_url: PDF,
  colour: 1,
  duplex: 0,
  recipients: [recipient()],
  ...overrides,
});

describe('letters and postcards over the wire', () => {
  it('posts a letter with every option in snake_case and the source tag, and reads pages and prices', async () => {
    const mock = mockPost();
    mock.on('/v3/post/letters/send', 'POST', answer);

    const result = await mock.post.sendLetter(
      letter({
        template_used: '1',
        colour: true,
        duplex: '1',
        priority_post: 0,
        recipients: [recipient({ address_line_2: 'Unit 2', address_country: 'au', custom_string: 'L-1', schedule: 1_900_000_000 })],
      }),
    );

    expect(mock.bodies).toEqual([
      {
        file_url: PDF,
        template_used: 1,
        colour: 1,
        duplex: 1,
        priority_post: 0,
        recipients: [
          {
            address_name: 'Jane Citizen',
            address_line_1: '1 Test Street',
            address_line_2: 'Unit 2',
            address_city: 'Perth',
            address_state: 'WA',
            address_postal_code: '11111',
            address_country: 'AU',
            return_address_id: 4,
            custom_string: 'L-1',
            schedule: 1_900_000_000,
          },
        ],
        source: 'teams-test',
      },
    ]);
    expect(result).toMatchObject({ total_price: 5.2, total_count: 1, queued_count: 1, _currency: { currency_name_short: 'AUD' } });
    expect(result.recipients[0]).toMatchObject({
      message_id: 'POST-0',
      post_pages: 2,
      post_price: 2.6,
      status: 'SUCCESS',
      _return_address: { return_address_id: 4, address_city: 'Flynn' },
    });
    expect(result.recipients[0]?.schedule).toBeUndefined();
  });

  it('throws ClickSendMessagesFailedError naming the refused addressee and keeping every status', async () => {
    const mock = mockPost();
    mock.on('/v3/post/letters/send', 'POST', answer);

    const error = await mock.post
      .sendLetter(letter({ recipients: [recipient(), recipient({ address_name: 'Nobody', address_postal_code: '99999' })] }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([{ index: 1, to: 'Nobody', status: 'INVALID_RECIPIENT' }]);
    expect((error as ClickSendMessagesFailedError<{ queued_count: number }>).result.queued_count).toBe(1);
  });

  it('posts a postcard with two file_urls, also when a form gives them as one string', async () => {
    const mock = mockPost();
    mock.on('/v3/post/postcards/send', 'POST', answer);

    const result = await mock.post.sendPostcard({
      file_urls: 'https://files.example.com/front.pdf,\n https://files.example.com/back.pdf',
      recipients: [recipient()],
    });

    expect(mock.bodies[0]).toMatchObject({
      file_urls: ['https://files.example.com/front.pdf', 'https://files.example.com/back.pdf'],
      recipients: [recipient()],
      source: 'teams-test',
    });
    expect(result.recipients[0]?.status).toBe('SUCCESS');
  });

  it('prices a letter and a postcard without throwing for refused addresses', async () => {
    const mock = mockPost();
    mock.on('/v3/post/letters/price', 'POST', answer);
    mock.on('/v3/post/postcards/price', 'POST', answer);
    const refused = recipient({ address_postal_code: '99999' });

    expect((await mock.post.priceLetter(letter({ recipients: [refused] }))).recipients[0]?.status).toBe('INVALID_RECIPIENT');
    expect((await mock.post.pricePostcard({ file_urls: [PDF], recipients: [refused] })).total_price).toBe(5.2);
  });
});

describe('post input checks', () => {
  const refusedPaths = async (send: (post: ReturnType<typeof createPostApi>) => Promise<unknown>) => {
    const { calls, post } = mockPost();
    const error = await send(post).catch((e: unknown) => e);
    expect(calls()).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues.map((i) => i.path);
  };

  it('refuses a postcard with three file_urls before calling ClickSend', async () => {
    const urls = ['https://a.example/1.pdf', 'https://a.example/2.pdf', 'https://a.example/3.pdf'];
    expect(await refusedPaths((p) => p.sendPostcard({ file_urls: urls, recipients: [recipient()] }))).toEqual(['file_urls']);
  });

  it('refuses a postcard without file_urls before calling ClickSend', async () => {
    expect(await refusedPaths((p) => p.sendPostcard({ file_urls: ' ', recipients: [recipient()] }))).toEqual(['file_urls']);
  });

  it('refuses a letter whose colour is missing before calling ClickSend', async () => {
    const { colour: _colour, ...noColour } = letter();
    expect(await refusedPaths((p) => p.sendLetter(noColour as LetterSendRequest))).toEqual(['colour']);
  });

  it('refuses a letter recipient without a return address or city before calling ClickSend', async () => {
    const { return_address_id: _id, ...noReturn } = recipient({ address_city: ' ' });
    expect(await refusedPaths((p) => p.sendLetter(letter({ recipients: [noReturn as PostRecipient] })))).toEqual([
      'recipients.0.address_city',
      'recipients.0.return_address_id',
    ]);
  });

  it('refuses a country that is not a two-letter code before calling ClickSend', async () => {
    expect(await refusedPaths((p) => p.sendLetter(letter({ recipients: [recipient({ address_country: 'Australia' })] })))).toEqual([
      'recipients.0.address_country',
    ]);
  });

  it('refuses an http file_url off loopback before calling ClickSend', async () => {
    expect(await refusedPaths((p) => p.sendLetter(letter({ file_url: 'http://files.example.com/l.pdf' })))).toEqual(['file_url']);
  });

  it('refuses a return address id that is not a positive integer before calling ClickSend', async () => {
    expect(await refusedPaths((p) => p.returnAddresses.get('abc'))).toEqual(['return_address_id']);
    expect(await refusedPaths((p) => p.returnAddresses.delete(-1))).toEqual(['return_address_id']);
  });
});

describe('return addresses over the wire', () => {
  const input = {
    address_name: 'My Address',
    address_line_1: 'Maritime Avenue',
    address_city: 'Flynn',
    address_state: 'WA',
    address_postal_code: '6302',
    address_country: 'AU',
  };

  it('lists a page of return addresses with page and limit in the query', async () => {
    const mock = mockPost();
    mock.on('/v3/post/return-addresses?page=2&limit=50', 'GET', () =>
      envelope({ total: 51, per_page: 50, current_page: 2, last_page: 2, next_page_url: null, prev_page_url: null, from: 51, to: 51, data: [RETURN_ADDRESS] }),
    );

    const page = await mock.post.returnAddresses.list({ page: 2, limit: 50 });

    expect(page).toMatchObject({ total: 51, current_page: 2, data: [{ return_address_id: 4, address_postal_code: '6302' }] });
  });

  it('creates, reads, replaces and deletes a return address at its own path', async () => {
    const mock = mockPost();
    mock.on('/v3/post/return-addresses', 'POST', () => envelope(RETURN_ADDRESS));
    mock.on('/v3/post/return-addresses/4', 'GET', () => envelope({ ...RETURN_ADDRESS, return_address_id: '4' }));
    mock.on('/v3/post/return-addresses/4', 'PUT', () => envelope({ ...RETURN_ADDRESS, address_city: 'Perth' }));
    mock.on('/v3/post/return-addresses/4', 'DELETE', () => envelope([]));

    expect(await mock.post.returnAddresses.create(input)).toMatchObject({ return_address_id: 4 });
    expect(await mock.post.returnAddresses.get(4)).toMatchObject({ return_address_id: 4, address_name: 'My Address' });
    expect(await mock.post.returnAddresses.update('4', { ...input, address_city: 'Perth' })).toMatchObject({ address_city: 'Perth' });
    await expect(mock.post.returnAddresses.delete(4)).resolves.toBeUndefined();

    expect(mock.bodies).toEqual([input, undefined, { ...input, address_city: 'Perth' }, undefined]);
  });

  it('creates a return address without a state, which ClickSend does not require', async () => {
    const mock = mockPost();
    mock.on('/v3/post/return-addresses', 'POST', () => envelope({ ...RETURN_ADDRESS, address_state: null }));
    const { address_state: _state, ...noState } = input;

    expect(await mock.post.returnAddresses.create(noState)).toMatchObject({ address_state: null });
    expect(mock.bodies[0]).toEqual(noState);
  });
});

describe('post against the sandbox', () => {
  const NOCREDIT = { username: 'nocredit', apiKey: 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE' };
  const HOME = { address_name: 'Head Office', address_line_1: '1 Main St', address_city: 'Perth', address_postal_code: '6000', address_country: 'AU' };

  const withReturnAddress = async (sandboxClient: Promise<SandboxClient>) => {
    const started = await sandboxClient;
    const created = await started.client.post.returnAddresses.create(HOME);
    return { ...started, returnAddressId: created.return_address_id };
  };

  it('creates, lists, reads, updates and deletes return addresses', async () => {
    const { client, sandbox } = await startSandboxClient();

    const created = await client.post.returnAddresses.create({ ...HOME, address_line_2: 'Level 2', address_state: 'WA' });
    expect(created).toMatchObject({ ...HOME, address_line_2: 'Level 2', address_state: 'WA' });
    expect((await client.post.returnAddresses.list()).data.map((a) => a.return_address_id)).toEqual([created.return_address_id]);
    expect(await client.post.returnAddresses.get(created.return_address_id)).toMatchObject({ address_city: 'Perth' });
    expect(await client.post.returnAddresses.update(created.return_address_id, { ...HOME, address_city: 'Fremantle' })).toMatchObject({
      address_city: 'Fremantle',
    });
    await client.post.returnAddresses.delete(created.return_address_id);
    expect(sandbox.state.returnAddresses.size).toBe(0);
  });

  it('posts a letter and answers per recipient with pages, price and the return address', async () => {
    const { client, sandbox, returnAddressId } = await withReturnAddress(startSandboxClient());

    const result = await client.post.sendLetter(letter({ recipients: [recipient({ return_address_id: returnAddressId, custom_string: 'L-9' })] }));

    expect(result).toMatchObject({ total_count: 1, queued_count: 1, _currency: { currency_name_short: 'AUD' } });
    expect(result.recipients[0]).toMatchObject({
      address_name: 'Jane Citizen',
      custom_string: 'L-9',
      colour: 1,
      duplex: 0,
      post_pages: 1,
      status: 'SUCCESS',
      _return_address: { return_address_id: returnAddressId, address_city: 'Perth' },
    });
    expect(sandbox.state.messages.map((m) => m.type)).toEqual(['letter']);
  });

  it('posts a two-sided postcard', async () => {
    const { client, sandbox, returnAddressId } = await withReturnAddress(startSandboxClient());

    const result = await client.post.sendPostcard({
      file_urls: ['https://files.example.com/front.pdf', 'https://files.example.com/back.pdf'],
      recipients: [recipient({ return_address_id: returnAddressId })],
    });

    expect(result.recipients[0]).toMatchObject({ status: 'SUCCESS', _file_url: 'https://files.example.com/front.pdf' });
    expect(sandbox.state.messages.map((m) => m.type)).toEqual(['postcard']);
  });

  it('throws ClickSendMessagesFailedError naming the addressee whose return address does not exist', async () => {
    const { client, returnAddressId } = await withReturnAddress(startSandboxClient());

    const error = await client.post
      .sendLetter(letter({ recipients: [recipient({ return_address_id: returnAddressId }), recipient({ address_name: 'Lost', return_address_id: 999 })] }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toEqual([{ index: 1, to: 'Lost', status: 'INVALID_RETURN_ADDRESS' }]);
  });

  it('reports INSUFFICIENT_CREDIT per recipient for the nocredit test user', async () => {
    const { client, returnAddressId } = await withReturnAddress(startSandboxClient({ client: { credentials: NOCREDIT } }));

    const error = await client.post
      .sendPostcard({ file_urls: [PDF], recipients: [recipient({ return_address_id: returnAddressId })] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed.map((f) => f.status)).toEqual(['INSUFFICIENT_CREDIT']);
  });

  it('refuses a postcard with three file_urls without posting anything', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.post
      .sendPostcard({ file_urls: [PDF, PDF, PDF], recipients: [recipient()] })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(['file_urls']);
    expect(sandbox.state.messages).toHaveLength(0);
  });
});
