import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createContactsApi } from '../../src/clicksend/contacts.js';
import { ClickSendApiError, ClickSendTimeoutError } from '../../src/clicksend/errors.js';
import { createTransport, type TransportOptions } from '../../src/clicksend/transport.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const ok = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Here you go.', data });
const page = (data: unknown[]) => ({ total: data.length, per_page: 15, current_page: 1, last_page: 1, from: 1, to: data.length, data });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const transportOptions = (baseUrl: string, extra: Partial<TransportOptions> = {}): TransportOptions => ({
  baseUrl,
  credentials: { username: 'alice', apiKey: 'secret-key' },
  rateLimit: false,
  ...extra,
});

/** Our contacts API on a MockAgent: nothing leaves the process, every request is recorded. */
const onTheWire = () => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  closers.push(() => agent.close());
  const transport = createTransport(transportOptions(`${ORIGIN}/v3`), { dispatcher: agent, sleep: async () => {} });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { api: createContactsApi(transport), origin: agent.get(ORIGIN), calls };
};

const contactRow = {
  contact_id: '552786',
  list_id: '428',
  phone_number: '+61411111111',
  first_name: 'John',
  last_name: 'Doe',
  email: null,
  fax_number: null,
  date_added: '1783997542',
  _list_name: 'VIP',
  brand_new_field: { kept: true },
};

describe('contacts on the wire', () => {
  it('posts every ClickSend contact field by its own name, leaving out blank ones', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/lists/428/contacts', method: 'POST' }).reply(200, ok(contactRow));
    const fields = {
      phone_number: '+61411111111',
      email: 'john@doe.com',
      fax_number: '+61261111111',
      first_name: 'John',
      last_name: 'Doe',
      organization_name: 'Awesome Company',
      custom_1: 'a',
      custom_2: 'b',
      custom_3: 'c',
      custom_4: 'd',
      address_line_1: '1554 Buffalo Creek Road',
      address_city: 'Nashville',
      address_state: 'TN',
      address_postal_code: '37214',
      address_country: 'US',
    };
    await api.create(428, { ...fields, address_line_2: '' });
    expect(JSON.parse(String(calls()[0]?.body))).toEqual(fields);
  });

  it('coerces string ids and dates and keeps keys it does not know', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/lists/428/contacts/552786', method: 'GET' }).reply(200, ok(contactRow));
    const contact = await api.get('428', '552786');
    expect(contact).toMatchObject({ contact_id: 552786, list_id: 428, date_added: 1783997542, brand_new_field: { kept: true } });
    expect(contact.email).toBeUndefined();
  });

  it('reads a page of contacts with page, limit and updated_after in the query', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: /^\/v3\/lists\/428\/contacts/, method: 'GET' }).reply(200, ok(page([contactRow])));
    const result = await api.list(428, { page: 3, limit: 15, updated_after: 1700000000 });
    expect(calls()[0]?.searchParams).toEqual({ page: '3', limit: '15', updated_after: '1700000000' });
    expect(result.data[0]?.contact_id).toBe(552786);
  });

  it('puts the fields to update a contact and accepts data: [] on delete', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/lists/428/contacts/9', method: 'PUT' }).reply(200, ok({ ...contactRow, contact_id: 9 }));
    origin.intercept({ path: '/v3/lists/428/contacts/9', method: 'DELETE' }).reply(200, ok([]));
    await api.update(428, 9, { email: 'new@doe.com' });
    await expect(api.delete(428, 9)).resolves.toBeUndefined();
    expect(calls().map((c) => [c.method, c.body ?? null])).toEqual([
      ['PUT', '{"email":"new@doe.com"}'],
      ['DELETE', null],
    ]);
  });

  it('accepts a contact reachable only by email or only by fax, as the API does', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/lists/1/contacts', method: 'POST' }).reply(200, ok(contactRow)).times(2);
    await expect(api.create(1, { email: 'only@mail.com' })).resolves.toBeDefined();
    await expect(api.create(1, { fax_number: '+61261111111' })).resolves.toBeDefined();
  });

  it.each([
    ['no phone, email or fax', { first_name: 'Ann' }, 'phone_number'],
    ['a local phone number', { phone_number: '0411 111 111' }, 'phone_number'],
    ['a fax number that is not E.164', { fax_number: '6126111111' }, 'fax_number'],
    ['an email without a domain', { email: 'ann@' }, 'email'],
  ])('refuses a contact with %s before any request', async (_what, contact, field) => {
    const { api, calls } = onTheWire();
    const error = await api.create(1, contact).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toContain(field);
    expect(calls()).toHaveLength(0);
  });

  it('refuses bad list and contact ids and page sizes before any request', async () => {
    const { api, calls } = onTheWire();
    await expect(api.list('abc')).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'list_id' })] });
    await expect(api.delete(1, 0)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'contact_id' })] });
    await expect(api.list(1, { limit: 200 })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls()).toHaveLength(0);
  });
});

describe('contacts over a slow connection', () => {
  const slowServer = async (delayMs: number): Promise<{ url: string; requests: () => number }> => {
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests += 1;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ok(contactRow))), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/v3`, requests: () => requests };
  };

  it('gives up on a create whose answer headers are late, as a headers timeout with an unknown outcome', async () => {
    // MockAgent ignores headersTimeout, so this one needs a real socket on loopback.
    const server = await slowServer(3_000);
    const dispatcher = new Agent();
    closers.push(() => dispatcher.destroy());
    const transport = createTransport(transportOptions(server.url, { timeouts: { headersMs: 50 } }), { dispatcher });
    const error = await createContactsApi(transport)
      .create(1, { phone_number: '+61411111111' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendTimeoutError);
    expect(error).toMatchObject({ phase: 'headers', outcome: 'unknown', operation: 'contacts.create' });
    expect(server.requests()).toBe(1);
  });
});

describe('contacts against the sandbox', () => {
  it('creates, reads, updates, lists and deletes a contact', async () => {
    const { client } = await startSandboxClient();
    const { list_id } = await client.lists.create({ list_name: 'Customers' });
    const created = await client.contacts.create(list_id, {
      phone_number: '+61411111111',
      first_name: 'Ann',
      last_name: 'Lee',
      custom_1: 'gold',
      address_country: 'AU',
    });
    expect(created).toMatchObject({ list_id, phone_number: '+61411111111', first_name: 'Ann', custom_1: 'gold', _list_name: 'Customers' });
    expect(created.contact_id).toBeGreaterThan(0);
    expect(created.date_added).toEqual(expect.any(Number));

    await expect(client.contacts.get(list_id, created.contact_id)).resolves.toEqual(created);
    const updated = await client.contacts.update(list_id, created.contact_id, { phone_number: '+61411111111', email: 'ann@example.com' });
    expect(updated).toMatchObject({ contact_id: created.contact_id, email: 'ann@example.com' });
    await expect(client.lists.get(list_id)).resolves.toMatchObject({ _contacts_count: 1 });

    await client.contacts.delete(list_id, created.contact_id);
    await expect(client.contacts.list(list_id)).resolves.toMatchObject({ total: 0, data: [] });
  });

  it('reads 40 contacts in pages of 15, each contact exactly once', async () => {
    const { client } = await startSandboxClient();
    const { list_id } = await client.lists.create({ list_name: 'Forty' });
    const ids: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      ids.push((await client.contacts.create(list_id, { email: `c${i}@example.com`, first_name: `C${i}` })).contact_id);
    }
    const pages = [];
    for (let page = 1; page <= 3; page += 1) pages.push(await client.contacts.list(list_id, { page, limit: 15 }));
    expect(pages.map((p) => [p.current_page, p.data.length, p.from, p.to])).toEqual([
      [1, 15, 1, 15],
      [2, 15, 16, 30],
      [3, 10, 31, 40],
    ]);
    expect(pages.every((p) => p.total === 40 && p.last_page === 3 && p.per_page === 15)).toBe(true);
    expect(pages[2]?.next_page_url).toBeNull();
    expect(pages.flatMap((p) => p.data.map((c) => c.contact_id)).sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
  });

  it("throws ClickSend's 404 NOT_FOUND for a contact or a list that does not exist", async () => {
    const { client } = await startSandboxClient();
    const { list_id } = await client.lists.create({ list_name: 'Empty' });
    await expect(client.contacts.get(list_id, 123_456)).rejects.toMatchObject({
      status: 404,
      responseCode: 'NOT_FOUND',
      responseMsg: 'Contact not found.',
    });
    const error = await client.contacts.list(999_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 404, responseCode: 'NOT_FOUND', responseMsg: 'List not found.' });
  });

  it('refuses a contact with no way to reach it, and nothing reaches the sandbox', async () => {
    const { client, sandbox } = await startSandboxClient();
    const { list_id } = await client.lists.create({ list_name: 'Strict' });
    const error = await client.contacts.create(list_id, { first_name: 'Nobody', phone_number: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(sandbox.state.contacts.size).toBe(0);
  });
});
