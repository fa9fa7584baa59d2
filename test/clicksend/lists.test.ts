import { describe, expect, it } from 'vitest';
import { ClickSendApiError, ClickSendSchemaError } from '../../src/clicksend/errors.js';
import { createListsApi } from '../../src/clicksend/lists.js';
import { createTransport } from '../../src/clicksend/transport.js';
import { InvalidRequestError } from '../../src/errors.js';
import { TEST_USERS_API_KEY } from '../../src/sandbox/server.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const ok = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Here are your data.', data });
const page = (data: unknown[], extra: Record<string, unknown> = {}) => ({
  total: data.length,
  per_page: 15,
  current_page: 1,
  last_page: 1,
  next_page_url: null,
  prev_page_url: null,
  from: 1,
  to: data.length,
  data,
  ...extra,
});


/** Our lists API on a MockAgent: nothing leaves the process, every request is recorded. */
const onTheWire = () => {
  const { agent, transport } = mockTransport({ username: 'alice', apiKey: 'secret-key' });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { api: createListsApi(transport), origin: agent.get(ORIGIN), calls };
};

describe('lists on the wire', () => {
  it('authenticates with HTTP Basic base64(username:api_key)', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/lists', method: 'GET' }).reply(200, ok(page([])));
    await api.list();
    expect(calls()[0]?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('alice:secret-key').toString('base64')}`,
    });
  });

  it('sends page and limit as the query string, and only when given', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/lists?page=2&limit=15', method: 'GET' }).reply(200, ok(page([])));
    origin.intercept({ path: '/v3/lists', method: 'GET' }).reply(200, ok(page([])));
    await api.list({ page: 2, limit: 15 });
    await api.list();
    expect(calls().map((c) => c.fullUrl)).toEqual([`${ORIGIN}/v3/lists?page=2&limit=15`, `${ORIGIN}/v3/lists`]);
  });

  it('coerces numbers that ClickSend sends as strings and keeps keys it does not know', async () => {
    const { api, origin } = onTheWire();
    const row = { list_id: '123', list_name: 'VIP', list_email_id: 'KB0L', _contacts_count: '4', _import_in_progress: 0, brand_new: 'x' };
    origin.intercept({ path: '/v3/lists', method: 'GET' }).reply(200, ok(page([row], { total: '1', per_page: '15' })));
    const result = await api.list();
    expect(result.total).toBe(1);
    expect(result.data[0]).toEqual({ ...row, list_id: 123, _contacts_count: 4 });
  });

  it('searches with q and reads the short search rows', async () => {
    const { api, origin, calls } = onTheWire();
    origin
      .intercept({ path: '/v3/search/contacts-lists?q=VIP+club&page=1&limit=50', method: 'GET' })
      .reply(200, ok(page([{ id: '7', name: 'VIP club', contact: null, type: 'list', contacts_count: '12' }])));
    const result = await api.search('VIP club', { page: 1, limit: 50 });
    expect(calls()[0]?.searchParams).toEqual({ q: 'VIP club', page: '1', limit: '50' });
    expect(result.data).toEqual([{ id: 7, name: 'VIP club', type: 'list', contacts_count: 12 }]);
  });

  it('posts list_name as JSON to create, and puts it to rename', async () => {
    const { api, origin, calls } = onTheWire();
    const list = { list_id: 428, list_name: 'Staff', list_email_id: 'KB0L', _contacts_count: 0 };
    origin.intercept({ path: '/v3/lists', method: 'POST' }).reply(200, ok(list));
    origin.intercept({ path: '/v3/lists/428', method: 'PUT' }).reply(200, ok({ ...list, list_name: 'Crew' }));
    await expect(api.create({ list_name: '  Staff ' })).resolves.toMatchObject({ list_id: 428 });
    await expect(api.update('428', { list_name: 'Crew' })).resolves.toMatchObject({ list_name: 'Crew' });
    expect(calls().map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', '/v3/lists', '{"list_name":"Staff"}'],
      ['PUT', '/v3/lists/428', '{"list_name":"Crew"}'],
    ]);
    expect(calls()[0]?.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('accepts data: [] as the answer to a delete', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/lists/442', method: 'DELETE' }).reply(200, ok([]));
    await expect(api.delete(442)).resolves.toBeUndefined();
  });

  it('throws ClickSendSchemaError when a 200 answer does not have the shape of a list', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/lists/1', method: 'GET' }).reply(200, ok({ list_name: 'no id' }));
    const error = await api.get(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendSchemaError);
    expect((error as ClickSendSchemaError).issues).toContainEqual(expect.objectContaining({ path: 'data.list_id' }));
  });

  it('tries a GET again after a 503, since reading twice is harmless', async () => {
    const { api, origin, calls } = onTheWire();
    const busy = { http_code: 503, response_code: 'SERVICE_UNAVAILABLE', response_msg: 'busy', data: null };
    origin.intercept({ path: '/v3/lists', method: 'GET' }).reply(503, busy);
    origin.intercept({ path: '/v3/lists', method: 'GET' }).reply(200, ok(page([])));
    await expect(api.list()).resolves.toMatchObject({ total: 0 });
    expect(calls()).toHaveLength(2);
  });

  it('does not repeat a POST create after the same 503: exactly one request is made', async () => {
    const { api, origin, calls } = onTheWire();
    const busy = { http_code: 503, response_code: 'SERVICE_UNAVAILABLE', response_msg: 'busy', data: null };
    origin.intercept({ path: '/v3/lists', method: 'POST' }).reply(503, busy).times(3);
    const error = await api.create({ list_name: 'Once' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 503, responseCode: 'SERVICE_UNAVAILABLE', outcome: 'unknown' });
    expect(calls()).toHaveLength(1);
  });

  it('refuses out-of-bounds pages, empty names and bad ids before any request', async () => {
    const { api, calls } = onTheWire();
    const refusals = [
      api.list({ limit: 10 }),
      api.list({ limit: 101 }),
      api.list({ page: 0 }),
      api.search('  '),
      api.create({ list_name: '' }),
      api.get('abc'),
      api.delete(-1),
    ].map((p) => p.catch((e: unknown) => e));
    for (const error of await Promise.all(refusals)) expect(error).toBeInstanceOf(InvalidRequestError);
    expect(calls()).toHaveLength(0);
  });

  it('names the ClickSend field at fault, for the form to point at', async () => {
    const { api } = onTheWire();
    await expect(api.get('x')).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'list_id' })] });
    await expect(api.list({ limit: 5 })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'limit' })] });
    await expect(api.create({ list_name: ' ' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'list_name' })],
    });
  });
});

describe('lists against the sandbox', () => {
  it('creates, reads, renames, lists, searches and deletes a list', async () => {
    const { client } = await startSandboxClient();
    const created = await client.lists.create({ list_name: 'VIP customers' });
    expect(created).toMatchObject({ list_name: 'VIP customers', _contacts_count: 0 });
    expect(created.list_id).toBeGreaterThan(0);
    expect(created.list_email_id).toMatch(/^[A-Z0-9]{16}$/);

    await expect(client.lists.get(created.list_id)).resolves.toEqual(created);
    const renamed = await client.lists.update(created.list_id, { list_name: 'VIP club' });
    expect(renamed).toMatchObject({ list_id: created.list_id, list_name: 'VIP club' });

    const all = await client.lists.list();
    expect(all).toMatchObject({ total: 1, current_page: 1, last_page: 1, per_page: 15 });
    expect(all.data).toEqual([renamed]);

    const found = await client.lists.search('vip');
    expect(found.data).toEqual([{ id: created.list_id, name: 'VIP club', type: 'list', contacts_count: 0 }]);

    await client.lists.delete(created.list_id);
    await expect(client.lists.list()).resolves.toMatchObject({ total: 0, data: [] });
  });

  it('reads the lists a page at a time', async () => {
    const { client } = await startSandboxClient();
    for (let i = 1; i <= 20; i += 1) await client.lists.create({ list_name: `List ${i}` });
    const first = await client.lists.list({ page: 1, limit: 15 });
    const second = await client.lists.list({ page: 2, limit: 15 });
    expect([first.data.length, second.data.length, first.last_page, second.current_page]).toEqual([15, 5, 2, 2]);
    expect(new Set([...first.data, ...second.data].map((l) => l.list_id)).size).toBe(20);
  });

  it("throws ClickSend's 404 NOT_FOUND when deleting a list that does not exist", async () => {
    const { client } = await startSandboxClient();
    const error = await client.lists.delete(999_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 404, responseCode: 'NOT_FOUND', responseMsg: 'List not found.', outcome: 'rejected' });
  });

  it("throws ClickSend's 401 for a wrong API key", async () => {
    const { client, sandbox } = await startSandboxClient({ client: { credentials: { username: 'sandbox', apiKey: 'wrong' } } });
    const error = await client.lists.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 401, responseCode: 'UNAUTHORIZED', responseMsg: 'Authorization failed.' });
    expect(sandbox.state.lists.size).toBe(0);
  });

  it.each([
    ['notactive', 403, 'ACCOUNT_NOT_ACTIVATED'],
    ['banned', 403, 'FORBIDDEN'],
  ])('throws ClickSend\'s refusal for the test user %s', async (username, status, responseCode) => {
    const { client } = await startSandboxClient({ client: { credentials: { username, apiKey: TEST_USERS_API_KEY } } });
    const error = await client.lists.create({ list_name: 'Nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status, responseCode, responseMsg: expect.any(String) });
  });

  it('refuses an invalid list before sending anything to ClickSend', async () => {
    const { sandbox, dispatcher } = await startSandboxClient();
    let requests = 0;
    const counted = dispatcher.compose((dispatch) => (options, handler) => {
      requests += 1;
      return dispatch(options, handler);
    });
    const transport = createTransport({ baseUrl: sandbox.apiUrl, credentials: sandbox.credentials, rateLimit: false }, { dispatcher: counted });
    const api = createListsApi(transport);
    await expect(api.create({ list_name: '   ' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(api.list({ limit: 500 })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(requests).toBe(0);
    await api.list();
    expect(requests).toBe(1);
    expect(sandbox.state.lists.size).toBe(0);
  });
});
