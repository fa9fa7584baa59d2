import { createServer } from 'node:http';
import { once } from 'node:events';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createClickSendClient } from '../../src/clicksend/client.js';
import {
  ClickSendApiError,
  ClickSendMessagesFailedError,
  ClickSendRateLimitError,
  ClickSendTransportError,
} from '../../src/clicksend/errors.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';

const TEST_KEY = 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE';

describe('sms against the ClickSend sandbox', () => {
  it('sends an SMS and answers with its message id, parts, price and currency', async () => {
    const { client, sandbox } = await startSandboxClient();
    const result = await client.sms.send([{ to: '+61411111111', body: 'Running 10 min late', custom_string: 'job-42' }]);

    expect(result.total_count).toBe(1);
    expect(result.messages[0]).toMatchObject({ to: '+61411111111', status: 'SUCCESS', message_parts: 1, custom_string: 'job-42' });
    expect(result.messages[0]?.message_id).toMatch(/^[0-9A-F-]{36}$/);
    expect(result.messages[0]?.message_price).toBeGreaterThan(0);
    expect(result._currency?.currency_name_short).toBeTruthy();
    const sent = sandbox.state.messages.filter((m) => m.type === 'sms');
    expect(sent).toHaveLength(1);
  });

  it('counts a long text as the parts ClickSend bills', async () => {
    const { client } = await startSandboxClient();
    const result = await client.sms.send([{ to: '+61411111111', body: 'x'.repeat(161) }]);
    expect(result.messages[0]?.message_parts).toBe(2);
  });

  it('sends to every contact of a list given as list_id', async () => {
    const { client } = await startSandboxClient();
    const list = await client.lists.create({ list_name: 'Customers' });
    await client.contacts.create(list.list_id, { phone_number: '+61411111111', first_name: 'Ann' });
    await client.contacts.create(list.list_id, { phone_number: '+61422222222', first_name: 'Bob' });

    const result = await client.sms.send([{ list_id: list.list_id, body: 'Shop opens at 9' }]);

    expect(result.messages.map((m) => m.to).sort()).toEqual(['+61411111111', '+61422222222']);
    expect(result.messages.every((m) => m.list_id === list.list_id)).toBe(true);
  });

  it('throws ClickSendMessagesFailedError with INVALID_RECIPIENT kept next to the accepted message', async () => {
    const { client } = await startSandboxClient();
    const error = await client.sms
      .send([
        { to: '+61411111111', body: 'Hi' },
        { to: '+6100000000', body: 'Hi' },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendMessagesFailedError);
    expect((error as ClickSendMessagesFailedError).failed).toMatchObject([{ index: 1, status: 'INVALID_RECIPIENT' }]);
  });

  it('reports INSUFFICIENT_CREDIT for the nocredit test user', async () => {
    const { client } = await startSandboxClient({ client: { credentials: { username: 'nocredit', apiKey: TEST_KEY } } });
    const error = await client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);
    expect((error as ClickSendMessagesFailedError).failed[0]?.status).toBe('INSUFFICIENT_CREDIT');
  });

  it('answers a wrong API key with ClickSend own 401 code and message', async () => {
    const { client } = await startSandboxClient({ client: { credentials: { username: 'sandbox', apiKey: 'wrong' } } });
    const error = await client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickSendApiError);
    expect(error).toMatchObject({ status: 401, responseCode: 'UNAUTHORIZED', outcome: 'rejected' });
    expect((error as ClickSendApiError).message).not.toContain('wrong');
  });

  it('prices a send without sending anything', async () => {
    const { client, sandbox } = await startSandboxClient();
    const price = await client.sms.price([{ to: '+61411111111', body: 'Hi' }]);
    expect(price.total_price).toBeGreaterThan(0);
    expect(sandbox.state.messages).toHaveLength(0);
  });

  it('cancels a scheduled SMS', async () => {
    const { client } = await startSandboxClient();
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    const result = await client.sms.send([{ to: '+61411111111', body: 'Reminder', schedule: inAnHour }]);
    await expect(client.sms.cancel(result.messages[0]!.message_id)).resolves.toBeUndefined();
    await expect(client.sms.cancel('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses an invalid message before calling the sandbox', async () => {
    const { client, sandbox } = await startSandboxClient();
    await expect(client.sms.send([{ to: '+61411111111', body: '' }])).rejects.toBeInstanceOf(InvalidRequestError);
    expect(sandbox.state.messages).toHaveLength(0);
  });

  it('waits out the sandbox 429s and gives up after the bounded number of attempts', async () => {
    const sleeps: number[] = [];
    const { sandbox } = await startSandboxClient({ sandbox: { rateLimit: { requests: 1, windowMs: 60_000 } } });
    const dispatcher = new Agent();
    const client = createClickSendClient(
      { baseUrl: sandbox.apiUrl, credentials: sandbox.credentials, rateLimit: false, retryOn429: { attempts: 2, maxWaitMs: 10 } },
      { dispatcher, sleep: async (ms) => void sleeps.push(ms) },
    );
    await client.sms.send([{ to: '+61411111111', body: 'first' }]);
    const error = await client.sms.send([{ to: '+61411111111', body: 'second' }]).catch((e: unknown) => e);
    await dispatcher.close();
    expect(error).toBeInstanceOf(ClickSendRateLimitError);
    expect(sleeps).toEqual([10, 10]);
    expect(sandbox.state.messages).toHaveLength(1);
  });

  it('reports a refused connection as a transport error that sent nothing', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    const dispatcher = new Agent();
    const client = createClickSendClient(
      { baseUrl: `http://127.0.0.1:${port}/v3`, credentials: { username: 'u', apiKey: 'k' }, rateLimit: false },
      { dispatcher },
    );
    const error = await client.sms.send([{ to: '+61411111111', body: 'Hi' }]).catch((e: unknown) => e);
    await dispatcher.close();
    expect(error).toBeInstanceOf(ClickSendTransportError);
    expect((error as ClickSendTransportError).outcome).toBe('not-sent');
  });
});

describe('fax and post prices against the ClickSend sandbox', () => {
  it('prices a fax, a letter and a postcard without sending them', async () => {
    const { client, sandbox } = await startSandboxClient();
    const address = await client.post.returnAddresses.create({
      address_name: 'Acme',
      address_line_1: '1 Main St',
      address_city: 'Sydney',
      address_state: 'NSW',
      address_postal_code: '2000',
      address_country: 'AU',
    });
    const recipient = {
      address_name: 'Jane Citizen',
      address_line_1: '2 High St',
      address_city: 'Perth',
      address_state: 'WA',
      address_postal_code: '11111',
      address_country: 'AU',
      return_address_id: address.return_address_id,
    };
    const pdf = 'https://files.example.com/doc.pdf';
    const fax = await client.fax.price({ file_url: pdf, messages: [{ to: '+61261111111' }] });
    const letter = await client.post.priceLetter({ file_url: pdf, colour: 1, duplex: 0, recipients: [recipient] });
    const postcard = await client.post.pricePostcard({ file_urls: [pdf], recipients: [recipient] });
    for (const price of [fax, letter, postcard]) expect(price.total_price).toBeGreaterThan(0);
    expect(sandbox.state.messages).toHaveLength(0);
  });
});
