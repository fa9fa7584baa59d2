import { describe, expect, it } from 'vitest';
import { call, startSandbox } from './helpers.js';

const PAGE_KEYS = ['total', 'per_page', 'current_page', 'last_page', 'next_page_url', 'prev_page_url', 'from', 'to', 'data'];

describe('paging', () => {
  it('answers ClickSend\'s page shape with 15 rows by default and page URLs on the sandbox', async () => {
    const sandbox = await startSandbox();
    for (let i = 0; i < 40; i += 1) await call(sandbox, 'POST', '/v3/lists', { body: { list_name: `List ${i}` } });

    const first = await call(sandbox, 'GET', '/v3/lists');
    expect(Object.keys(first.body.data)).toEqual(expect.arrayContaining(PAGE_KEYS));
    expect(first.body.data).toMatchObject({
      total: 40,
      per_page: 15,
      current_page: 1,
      last_page: 3,
      prev_page_url: null,
      next_page_url: `${sandbox.url}/v3/lists?page=2`,
      from: 1,
      to: 15,
    });
    expect(first.body.data.data).toHaveLength(15);

    const last = await call(sandbox, 'GET', '/v3/lists?page=3');
    expect(last.body.data).toMatchObject({ current_page: 3, from: 31, to: 40, next_page_url: null, prev_page_url: `${sandbox.url}/v3/lists?page=2` });
    expect(last.body.data.data).toHaveLength(10);
  });

  it('clamps limit to 15..100', async () => {
    const sandbox = await startSandbox();
    for (let i = 0; i < 120; i += 1) await call(sandbox, 'POST', '/v3/lists', { body: { list_name: `L${i}` } });
    expect((await call(sandbox, 'GET', '/v3/lists?limit=5')).body.data.per_page).toBe(15);
    expect((await call(sandbox, 'GET', '/v3/lists?limit=50')).body.data).toMatchObject({ per_page: 50, last_page: 3 });
    const big = await call(sandbox, 'GET', '/v3/lists?limit=1000');
    expect(big.body.data.per_page).toBe(100);
    expect(big.body.data.data).toHaveLength(100);
    expect((await call(sandbox, 'GET', '/v3/lists?limit=abc')).body.data.per_page).toBe(15);
  });

  it('answers an empty page past the end with from and to null', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'GET', '/v3/lists?page=9');
    expect(answer.body.data).toMatchObject({ total: 0, current_page: 9, last_page: 1, from: null, to: null, data: [] });
  });
});

describe('contact lists', () => {
  it('creates, reads, renames and deletes a list, and counts its contacts', async () => {
    const sandbox = await startSandbox();
    const created = await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'VIP' } });
    expect(created.body).toMatchObject({ response_msg: 'New list has been created.', data: { list_name: 'VIP', _contacts_count: 0 } });
    const id = created.body.data.list_id;
    expect(created.body.data.list_email_id).toMatch(/^[A-Z0-9]{16}$/);

    await call(sandbox, 'POST', `/v3/lists/${id}/contacts`, { body: { phone_number: '+61411111111' } });
    expect((await call(sandbox, 'GET', `/v3/lists/${id}`)).body.data).toMatchObject({ list_id: id, _contacts_count: 1 });

    const renamed = await call(sandbox, 'PUT', `/v3/lists/${id}`, { body: { list_name: 'VIP 2' } });
    expect(renamed.body).toMatchObject({ response_msg: `List #${id} has been updated.`, data: { list_name: 'VIP 2' } });

    const deleted = await call(sandbox, 'DELETE', `/v3/lists/${id}`);
    expect(deleted.body).toEqual({ http_code: 200, response_code: 'SUCCESS', response_msg: `List #${id} has been deleted.`, data: [] });
    expect((await call(sandbox, 'GET', `/v3/lists/${id}`)).status).toBe(404);
    expect(sandbox.state.contacts.size).toBe(0);
  });

  it('refuses a list without a name, naming list_name', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/lists', { body: { list_name: '' } });
    expect(answer.status).toBe(400);
    expect(answer.body.response_msg).toBe('list_name: must not be empty');
  });

  it('searches lists and contacts by name, answering {id, name, contact, type, contacts_count} rows', async () => {
    const sandbox = await startSandbox();
    const list = await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'Test customers' } });
    await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'Other' } });
    await call(sandbox, 'POST', `/v3/lists/${list.body.data.list_id}/contacts`, {
      body: { phone_number: '+61411111111', first_name: 'Tess', last_name: 'Tester' },
    });
    const answer = await call(sandbox, 'GET', '/v3/search/contacts-lists?q=tes');
    expect(answer.body.data.data).toEqual([
      { id: list.body.data.list_id, name: 'Test customers', contact: null, type: 'list', contacts_count: 1 },
      expect.objectContaining({ name: 'Tess Tester', contact: '+61411111111', type: 'contact' }),
    ]);
    expect((await call(sandbox, 'GET', '/v3/search/contacts-lists')).status).toBe(400);
  });
});

describe('contacts', () => {
  it('creates, reads, updates and deletes a contact in a list', async () => {
    const sandbox = await startSandbox();
    const listId = (await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'People' } })).body.data.list_id;
    const created = await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, {
      body: { phone_number: '0411 111 111', first_name: 'Ann', last_name: 'Lee', custom_1: 'gold', address_country: 'AU' },
    });
    expect(created.status).toBe(200);
    const contact = created.body.data;
    expect(contact).toMatchObject({ list_id: listId, phone_number: '+61411111111', first_name: 'Ann', custom_1: 'gold', _list_name: 'People', email: null });
    const path = `/v3/lists/${listId}/contacts/${contact.contact_id}`;

    expect((await call(sandbox, 'GET', path)).body.data).toMatchObject({ contact_id: contact.contact_id });
    const updated = await call(sandbox, 'PUT', path, { body: { last_name: 'Li', email: 'ann@example.com' } });
    expect(updated.body.data).toMatchObject({ last_name: 'Li', email: 'ann@example.com', phone_number: '+61411111111' });

    const page = await call(sandbox, 'GET', `/v3/lists/${listId}/contacts`);
    expect(page.body.data).toMatchObject({ total: 1, per_page: 15 });

    expect((await call(sandbox, 'DELETE', path)).body).toMatchObject({ response_msg: `Contact #${contact.contact_id} has been deleted.`, data: [] });
    expect((await call(sandbox, 'GET', path)).status).toBe(404);
  });

  it('requires one of phone_number, fax_number or email, and a valid number', async () => {
    const sandbox = await startSandbox();
    const listId = (await call(sandbox, 'POST', '/v3/lists', { body: { list_name: 'People' } })).body.data.list_id;
    const none = await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, { body: { first_name: 'Nobody' } });
    expect(none.status).toBe(400);
    expect(none.body.response_msg).toMatch(/^phone_number: /);
    const emailOnly = await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, { body: { email: 'a@example.com' } });
    expect(emailOnly.status).toBe(200);
    const bad = await call(sandbox, 'POST', `/v3/lists/${listId}/contacts`, { body: { phone_number: '123' } });
    expect(bad.status).toBe(400);
    expect((await call(sandbox, 'POST', '/v3/lists/424242/contacts', { body: { email: 'a@example.com' } })).status).toBe(404);
  });
});

describe('return addresses', () => {
  it('creates, lists, reads, updates and deletes a return address', async () => {
    const sandbox = await startSandbox();
    const created = await call(sandbox, 'POST', '/v3/post/return-addresses', {
      body: { address_name: 'Office', address_line_1: '1 Test St', address_city: 'Perth', address_postal_code: '6000', address_country: 'au' },
    });
    expect(created.body).toMatchObject({
      response_msg: 'New return address has been added.',
      data: { address_name: 'Office', address_line_2: '', address_state: '', address_country: 'AU', user_id: expect.any(Number) },
    });
    const id = created.body.data.return_address_id;
    expect((await call(sandbox, 'GET', '/v3/post/return-addresses')).body.data).toMatchObject({ total: 1, data: [{ return_address_id: id }] });
    expect((await call(sandbox, 'GET', `/v3/post/return-addresses/${id}`)).body.data.address_city).toBe('Perth');
    const updated = await call(sandbox, 'PUT', `/v3/post/return-addresses/${id}`, { body: { address_state: 'WA' } });
    expect(updated.body.data).toMatchObject({ address_state: 'WA', address_city: 'Perth' });
    expect((await call(sandbox, 'DELETE', `/v3/post/return-addresses/${id}`)).body.data).toEqual([]);
    expect((await call(sandbox, 'GET', `/v3/post/return-addresses/${id}`)).status).toBe(404);
  });

  it('refuses a return address without its required fields', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/post/return-addresses', { body: { address_name: 'Office' } });
    expect(answer.status).toBe(400);
    expect(answer.body.response_msg).toBe('The address_line_1 field is required.');
    expect(Object.keys(answer.body.data)).toEqual(['address_line_1', 'address_city', 'address_postal_code', 'address_country']);
  });
});
