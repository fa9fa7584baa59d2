import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccountApi } from '../../src/clicksend/account.js';
import { ClickSendApiError, ClickSendTransportError } from '../../src/clicksend/errors.js';
import { createTransport } from '../../src/clicksend/transport.js';
import { InvalidRequestError } from '../../src/errors.js';
import { TEST_USERS_API_KEY } from '../../src/sandbox/server.js';
import { startSandboxClient } from '../helpers/clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';
const ok = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: "Here's your account.", data });
const refusal = (status: number, code: string, msg: string) => ({ http_code: status, response_code: code, response_msg: msg, data: null });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const credentials = { username: 'alice', apiKey: 'secret-key' };

/** Our account API on a MockAgent: nothing leaves the process, every request is recorded. */
const onTheWire = () => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  closers.push(() => agent.close());
  const transport = createTransport(
    { baseUrl: `${ORIGIN}/v3`, credentials, rateLimit: false },
    { dispatcher: agent, sleep: async () => {} },
  );
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { api: createAccountApi(transport), origin: agent.get(ORIGIN), calls };
};

const accountData = {
  user_id: '116',
  username: 'johndoe1',
  balance: '4.998000',
  setting_sms_message_char_limit: '6',
  on_trial: 0,
  trial_expiry: null,
  _currency: { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars' },
  _subaccount: { subaccount_id: 126, api_username: 'johndoe1', api_key: 'F3702045-EB2C-0091-C211-7728048DCAE2' },
  fax_quality: 0,
};

describe('account on the wire', () => {
  it('reads the account with balance and char limit as numbers and unknown keys kept', async () => {
    const { api, origin, calls } = onTheWire();
    origin.intercept({ path: '/v3/account', method: 'GET' }).reply(200, ok(accountData));
    const account = await api.get();
    expect(account).toMatchObject({ user_id: 116, username: 'johndoe1', balance: 4.998, setting_sms_message_char_limit: 6, fax_quality: 0 });
    expect(account._currency?.currency_name_short).toBe('AUD');
    expect(calls()[0]?.headers).toMatchObject({ authorization: `Basic ${Buffer.from('alice:secret-key').toString('base64')}` });
  });

  it('drops the API key ClickSend echoes in _subaccount', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/account', method: 'GET' }).reply(200, ok(accountData));
    const account = await api.get();
    expect(account._subaccount).toEqual({ subaccount_id: 126, api_username: 'johndoe1' });
    expect(JSON.stringify(account)).not.toContain('F3702045');
  });

  it.each([
    [401, 'UNAUTHORIZED', 'invalid-credentials'],
    [401, 'INVALID_CREDENTIALS', 'invalid-credentials'],
    [403, 'ACCOUNT_NOT_ACTIVATED', 'not-activated'],
    [403, 'FORBIDDEN', 'forbidden'],
  ] as const)('answers a %i %s on verifyCredentials with reason %s', async (status, code, reason) => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/account', method: 'GET' }).reply(status, refusal(status, code, 'No.'));
    const check = await api.verifyCredentials();
    expect(check).toMatchObject({ ok: false, reason, error: { status, responseCode: code, responseMsg: 'No.' } });
  });

  it('throws from verifyCredentials when ClickSend fails, since that says nothing about the credentials', async () => {
    const { api, origin } = onTheWire();
    origin.intercept({ path: '/v3/account', method: 'GET' }).reply(500, refusal(500, 'INTERNAL_ERROR', 'oops'));
    await expect(api.verifyCredentials()).rejects.toBeInstanceOf(ClickSendApiError);
  });

  it('lists the dedicated numbers with prices as numbers and the page currency kept', async () => {
    const { api, origin, calls } = onTheWire();
    const row = { dedicated_number: '+61411111111', country: 'AU', price: '18.59', price_total: '8.98', status: { value: 0 } };
    origin.intercept({ path: '/v3/numbers?page=1&limit=100', method: 'GET' }).reply(
      200,
      ok({
        total: '1', per_page: '100', current_page: 1, last_page: 1, from: 1, to: 1, data: [row],
        _currency: { currency_name_short: 'AUD', currency_prefix_d: '$' },
      }),
    );
    const numbers = await api.numbers({ page: 1, limit: 100 });
    expect(numbers.data).toEqual([{ ...row, price: 18.59, price_total: 8.98 }]);
    expect(numbers._currency?.currency_name_short).toBe('AUD');
    expect(calls()).toHaveLength(1);
  });

  it('refuses a page size outside 15..100 before any request', async () => {
    const { api, calls } = onTheWire();
    await expect(api.numbers({ limit: 14 })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls()).toHaveLength(0);
  });
});

describe('account over a refused connection', () => {
  it('fails with a transport error whose outcome is not-sent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const dispatcher = new Agent({ connect: { timeout: 1_000 } });
    closers.push(() => dispatcher.close());
    const transport = createTransport(
      { baseUrl: `http://127.0.0.1:${port}/v3`, credentials, rateLimit: false },
      { dispatcher, sleep: async () => {} },
    );
    const error = await createAccountApi(transport).verifyCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendTransportError);
    expect(error).toMatchObject({ outcome: 'not-sent', operation: 'account.get', code: 'CS_ERR_TRANSPORT' });
  });
});

describe('account against the sandbox', () => {
  it('reads the balance, currency and SMS settings of the account, without its API key', async () => {
    const { client, sandbox } = await startSandboxClient();
    const account = await client.account.get();
    expect(account).toMatchObject({ username: sandbox.credentials.username, balance: 100, on_trial: 0 });
    expect(account.user_id).toEqual(expect.any(Number));
    expect(account.setting_sms_message_char_limit).toEqual(expect.any(Number));
    expect(account._currency).toMatchObject({ currency_name_short: expect.any(String), currency_prefix_d: expect.any(String) });
    expect(JSON.stringify(account)).not.toContain(sandbox.credentials.apiKey);
  });

  it('answers verifyCredentials with the account when the credentials work', async () => {
    const { client, sandbox } = await startSandboxClient();
    await expect(client.account.verifyCredentials()).resolves.toMatchObject({
      ok: true,
      account: { username: sandbox.credentials.username },
    });
  });

  it.each([
    ['sandbox', 'wrong-key', 'invalid-credentials', 401, 'UNAUTHORIZED'],
    ['nobody', 'sandbox-key', 'invalid-credentials', 401, 'UNAUTHORIZED'],
    ['notactive', TEST_USERS_API_KEY, 'not-activated', 403, 'ACCOUNT_NOT_ACTIVATED'],
    ['banned', TEST_USERS_API_KEY, 'forbidden', 403, 'FORBIDDEN'],
  ])('answers verifyCredentials for %s / %s with reason %s', async (username, apiKey, reason, status, responseCode) => {
    const { client } = await startSandboxClient({ client: { credentials: { username, apiKey } } });
    const check = await client.account.verifyCredentials();
    expect(check).toMatchObject({ ok: false, reason, error: { status, responseCode } });
    if (!check.ok) expect(check.error.responseMsg).not.toBe('');
  });

  it("throws ClickSend's 401 from get() for a wrong key", async () => {
    const { client } = await startSandboxClient({ client: { credentials: { username: 'sandbox', apiKey: 'nope' } } });
    const error = await client.account.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 401, responseCode: 'UNAUTHORIZED', responseMsg: 'Authorization failed.' });
  });

  it("lists the account's dedicated numbers", async () => {
    const { client } = await startSandboxClient({ sandbox: { dedicatedNumbers: ['+61411111111', '+14055555555'] } });
    const numbers = await client.account.numbers();
    expect(numbers.total).toBe(2);
    expect(numbers.data.map((n) => [n.dedicated_number, n.country])).toEqual([
      ['+61411111111', 'AU'],
      ['+14055555555', 'US'],
    ]);
    expect(numbers.data[0]?.price).toEqual(expect.any(Number));
  });
});
