import { describe, expect, it } from 'vitest';
import { call, startSandbox } from './helpers.js';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >>\n2 0 obj << /Type /Page >>\n3 0 obj << /Type /Page >>\n%%EOF');

describe('POST /v3/uploads', () => {
  it('stores base64 content and serves the same bytes at _url', async () => {
    const sandbox = await startSandbox();
    const answer = await call(sandbox, 'POST', '/v3/uploads?convert=fax', { body: { content: pdf.toString('base64') } });
    expect(answer.status).toBe(200);
    const data = answer.body.data;
    expect(Object.keys(data).sort()).toEqual(['_url', 'date_added', 'date_delete', 'file_name', 'upload_id', 'user_id']);
    expect(data.date_delete - data.date_added).toBe(600);
    expect(data._url).toBe(`${sandbox.url}/files/${data.file_name}`);
    expect(data.file_name).toMatch(/\.pdf$/);

    const served = await fetch(data._url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('takes convert from the JSON body too, and a multipart file', async () => {
    const sandbox = await startSandbox();
    const viaBody = await call(sandbox, 'POST', '/v3/uploads', { body: { content: Buffer.from('a,b\n1,2').toString('base64'), convert: 'csv' } });
    expect(viaBody.body.data.file_name).toMatch(/\.csv$/);

    const form = new FormData();
    form.append('file', new Blob([Buffer.from('GIF89a')]), 'picture.png');
    const auth = `Basic ${Buffer.from('sandbox:sandbox-key').toString('base64')}`;
    const multipart = await fetch(`${sandbox.url}/v3/uploads?convert=mms`, { method: 'POST', body: form, headers: { authorization: auth } });
    const json = (await multipart.json()) as { data: { _url: string } };
    expect(json.data._url).toMatch(/\.jpg$/);
    expect(Buffer.from(await (await fetch(json.data._url)).arrayBuffer()).toString()).toBe('GIF89a');
  });

  it('refuses a missing or unknown convert and missing content, naming the field', async () => {
    const sandbox = await startSandbox();
    const noConvert = await call(sandbox, 'POST', '/v3/uploads', { body: { content: 'aGk=' } });
    expect(noConvert.status).toBe(400);
    expect(noConvert.body.response_msg).toBe('The convert field is required.');
    expect((await call(sandbox, 'POST', '/v3/uploads?convert=zip', { body: { content: 'aGk=' } })).status).toBe(400);
    const noContent = await call(sandbox, 'POST', '/v3/uploads?convert=fax', { body: {} });
    expect(noContent.body.response_msg).toBe('The content field is required.');
  });

  it('stops serving a file ten minutes after upload', async () => {
    let now = Date.now();
    const sandbox = await startSandbox({ now: () => now });
    const answer = await call(sandbox, 'POST', '/v3/uploads?convert=post', { body: { content: pdf.toString('base64') } });
    now += 601_000;
    expect((await fetch(answer.body.data._url)).status).toBe(404);
  });

  it('counts the pages of an uploaded PDF when it is faxed', async () => {
    const sandbox = await startSandbox();
    const upload = await call(sandbox, 'POST', '/v3/uploads?convert=fax', { body: { content: pdf.toString('base64') } });
    const fax = await call(sandbox, 'POST', '/v3/fax/send', {
      body: { file_url: upload.body.data._url, messages: [{ to: '+61261111111', custom_string: 'f1' }] },
    });
    expect(fax.body.data.messages[0]).toMatchObject({ message_pages: 2, message_price: '0.3960', status: 'SUCCESS', _file_url: upload.body.data._url });
  });
});
