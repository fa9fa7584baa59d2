import { describe, expect, it } from 'vitest';
import { TEST_USERS_API_KEY } from '../../src/sandbox/server.js';
import { basic, call, startSandbox } from './helpers.js';

const sms = { messages: [{ to: '+61411111111', body: 'Hello' }] };

describe('sandbox authentication', () => {
  it('answers 401 UNAUTHORIZED in ClickSend\'s envelope when credentials are missing', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'GET', '/v3/account', { auth: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ http_code: 401, response_code: 'UNAUTHORIZED', response_msg: 'Authorization failed.', data: null });
  });

  it('answers 401 for a wrong API key, an unknown user and a malformed header alike', async () => {
    const sandbox = await startSandbox();
    for (const auth of [basic('sandbox', 'wrong-key'), basic('nobody', 'sandbox-key'), 'Basic !!!', 'Bearer abc']) {
      const answer = await call(sandbox, 'GET', '/v3/account', { auth });
      expect(answer.status).toBe(401);
      expect(answer.body.response_code).toBe('UNAUTHORIZED');
    }
  });

  it('accepts the default account and any account given in the options', async () => {
    const sandbox = await startSandbox({ accounts: [{ username: 'alice', apiKey: 'alice-key' }] });
    expect(sandbox.credentials).toEqual({ username: 'alice', apiKey: 'alice-key' });
    const answer = await call(sandbox, 'GET', '/v3/account');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ username: 'alice', balance: '100.000000', on_trial: 0 });
    expect(answer.body.data.setting_sms_message_char_limit).toBeGreaterThan(0);
  });

  it('reports INSUFFICIENT_CREDIT per message for the nocredit test user, inside a 200', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: sms, auth: basic('nocredit', TEST_USERS_API_KEY) });
    expect(answer.status).toBe(200);
    expect(answer.body.response_code).toBe('SUCCESS');
    expect(answer.body.data).toMatchObject({ total_price: 0, total_count: 1, queued_count: 0, blocked_count: 1 });
    expect(answer.body.data.messages[0].status).toBe('INSUFFICIENT_CREDIT');
    expect(sandbox.state.messages).toHaveLength(0);
  });

  it('refuses the notactive test user with 403 ACCOUNT_NOT_ACTIVATED', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'GET', '/v3/account', { auth: basic('notactive', TEST_USERS_API_KEY) });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ http_code: 403, response_code: 'ACCOUNT_NOT_ACTIVATED', data: null });
  });

  it('refuses the banned test user with 403 FORBIDDEN and the suspension message', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/sms/send', { body: sms, auth: basic('banned', TEST_USERS_API_KEY) });
    expect(answer.status).toBe(403);
    expect(answer.body.response_code).toBe('FORBIDDEN');
    expect(answer.body.response_msg).toMatch(/suspended/);
  });
});
