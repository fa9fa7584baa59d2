import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.js';
import { call, startSandbox } from './helpers.js';

const statuses = (answer: { body: { data: { messages?: { status: string }[]; recipients?: { status: string }[] } } }) =>
  (answer.body.data.messages ?? answer.body.data.recipients ?? []).map((m) => m.status);

describe('POST /v3/mms/send', () => {
  it('answers every documented MMS field and keeps the message', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/mms/send', {
      body: {
        media_file: 'https://example.com/cat.gif',
        messages: [{ to: '+61411111111', subject: 'A very long subject line here', body: 'Look', custom_string: 'm1' }],
      },
    });
    const [message] = answer.body.data.messages;
    expect(Object.keys(message)).toEqual(
      expect.arrayContaining(['list_id', 'contact_id', 'message_id', 'to', 'subject', 'from', 'body', 'country', 'custom_string', 'message_parts', 'message_price', '_media_file_url', 'status']),
    );
    expect(message).toMatchObject({ subject: 'A very long subject ', _media_file_url: 'https://example.com/cat.gif', schedule: '', status: 'SUCCESS' });
    expect(sandbox.state.messages[0]?.type).toBe('mms');
  });

  it('reports SUBJECT_REQUIRED per message and refuses media that needs converting', async () => {
    const sandbox = await startSandbox();
    const noSubject = await call(sandbox, 'POST', '/v3/mms/send', {
      body: { media_file: 'https://example.com/a.jpg', messages: [{ to: '+61411111111', body: 'x' }] },
    });
    expect(statuses(noSubject)).toEqual(['SUBJECT_REQUIRED']);
    const png = await call(sandbox, 'POST', '/v3/mms/send', {
      body: { media_file: 'https://example.com/a.png', messages: [{ to: '+61411111111', subject: 's', body: 'x' }] },
    });
    expect(png.status).toBe(400);
    expect(png.body.response_code).toBe('INVALID_MEDIA_FILE');
    const missing = await call(sandbox, 'POST', '/v3/mms/send', { body: { messages: [{ to: '+61411111111', subject: 's', body: 'x' }] } });
    expect(missing.body).toMatchObject({ response_code: 'BAD_REQUEST', response_msg: 'The media_file field is required.' });
  });
});

describe('voice', () => {
  it('lists languages with a gender string or an array of genders', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'GET', '/v3/voice/lang');
    expect(answer.body.response_msg).toBe('Here are the possible languages.');
    expect(answer.body.data).toEqual(
      expect.arrayContaining([
        { code: 'en-au', country: 'English, Australia', gender: ['female', 'male'] },
        { code: 'en-in', country: 'English, India', gender: 'female' },
      ]),
    );
  });

  it('sends calls and reports INVALID_LANG and INVALID_VOICE per message', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/voice/send', {
      body: {
        messages: [
          { to: '+61411111111', body: 'Your code is 1, 2, 3', lang: 'en-au', voice: 'female', require_input: 1, machine_detection: '1' },
          { to: '+61411111111', body: 'x', lang: 'xx-yy', voice: 'female' },
          { to: '+61411111111', body: 'x', lang: 'en-in', voice: 'male' },
          { to: '+61261111111', body: 'x'.repeat(301), lang: 'en-us' },
        ],
      },
    });
    expect(statuses(answer)).toEqual(['SUCCESS', 'INVALID_LANG', 'INVALID_VOICE', 'SUCCESS']);
    expect(answer.body.data.messages[0]).toMatchObject({ to_type: 'mobile', lang: 'en-au', voice: 'female', require_input: 1, machine_detection: 1, message_parts: 1 });
    expect(answer.body.data.messages[3]).toMatchObject({ to_type: 'landline', voice: 'female', message_parts: 2 });
  });
});

describe('POST /v3/fax/send', () => {
  it('accepts the documented test fax numbers and refuses numbers that are not valid', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/fax/send', {
      body: { file_url: 'https://example.com/doc.pdf', messages: [{ to: '+61261111111' }, { to: '+61262222222' }, { to: '+6126' }] },
    });
    expect(statuses(answer)).toEqual(['SUCCESS', 'SUCCESS', 'INVALID_RECIPIENT']);
    expect(answer.body.data.messages[0]).toMatchObject({ message_pages: 1, _file_url: 'https://example.com/doc.pdf', date_added: expect.any(Number) });
    const noFile = await call(sandbox, 'POST', '/v3/fax/send', { body: { messages: [{ to: '+61261111111' }] } });
    expect(noFile.body.response_msg).toBe('The file_url field is required.');
  });
});

const returnAddress = async (sandbox: Sandbox): Promise<number> =>
  (
    await call(sandbox, 'POST', '/v3/post/return-addresses', {
      body: { address_name: 'Office', address_line_1: '1 Test St', address_city: 'Perth', address_postal_code: '6000', address_country: 'AU' },
    })
  ).body.data.return_address_id;

const recipient = (returnAddressId: number, extra: Record<string, unknown> = {}) => ({
  address_name: 'Jane Doe',
  address_line_1: '2 Main Rd',
  address_city: 'Sydney',
  address_state: 'NSW',
  address_postal_code: '11111',
  address_country: 'AU',
  return_address_id: returnAddressId,
  ...extra,
});

describe('post', () => {
  it('sends letters with per-recipient statuses, totals and the return address', async () => {
    const sandbox = await startSandbox();
    const id = await returnAddress(sandbox);
    const answer = await call(sandbox, 'POST', '/v3/post/letters/send', {
      body: {
        file_url: 'https://example.com/letter.pdf',
        colour: 1,
        duplex: 0,
        priority_post: 1,
        recipients: [recipient(id, { custom_string: 'l1' }), recipient(999), recipient(id, { address_city: '' })],
      },
    });
    expect(answer.body.response_code).toBe('SUCCESS');
    expect(statuses(answer)).toEqual(['SUCCESS', 'INVALID_RETURN_ADDRESS', 'MISSING_REQUIRED_FIELDS']);
    expect(answer.body.data).toMatchObject({ total_count: 3, queued_count: 1, _currency: { currency_name_short: 'AUD' } });
    expect(answer.body.data.recipients[0]).toMatchObject({
      colour: 1,
      duplex: 0,
      priority_post: 1,
      post_pages: 1,
      custom_string: 'l1',
      _file_url: 'https://example.com/letter.pdf',
      _return_address: { return_address_id: id, address_city: 'Perth' },
      _api_username: 'sandbox',
    });
    expect(answer.body.data.recipients[0].post_price).toMatch(/^\d+\.\d{4}$/);
    const missingColour = await call(sandbox, 'POST', '/v3/post/letters/send', {
      body: { file_url: 'https://example.com/letter.pdf', duplex: 0, recipients: [recipient(id)] },
    });
    expect(missingColour.body.response_msg).toBe('The colour field is required.');
  });

  it('sends postcards from one or two file URLs', async () => {
    const sandbox = await startSandbox();
    const id = await returnAddress(sandbox);
    const answer = await call(sandbox, 'POST', '/v3/post/postcards/send', {
      body: { file_urls: ['https://example.com/front.pdf', 'https://example.com/back.pdf'], recipients: [recipient(id)] },
    });
    expect(statuses(answer)).toEqual(['SUCCESS']);
    expect(answer.body.data.recipients[0]).toMatchObject({ _file_url: 'https://example.com/front.pdf', schedule: expect.any(Number) });
    const three = await call(sandbox, 'POST', '/v3/post/postcards/send', {
      body: { file_urls: ['https://a.example/1.pdf', 'https://a.example/2.pdf', 'https://a.example/3.pdf'], recipients: [recipient(id)] },
    });
    expect(three.status).toBe(400);
    expect(three.body.response_msg).toMatch(/^file_urls: /);
    expect(sandbox.state.messages.map((m) => m.type)).toEqual(['postcard']);
  });
});
