import { MockAgent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createUploadsApi, MAX_UPLOAD_BYTES, type UploadRequest } from '../../src/clicksend/uploads.js';
import { InvalidRequestError } from '../../src/errors.js';
import { startSandboxClient } from '../helpers/clicksend.js';
import { mockTransport } from '../helpers/mock-clicksend.js';

const ORIGIN = 'https://rest.clicksend.test';


const UPLOADED = {
  upload_id: 130,
  file_name: 'ea4ca1ac-a0e4-4b8d-bcae-4b35b8d8a6c9.pdf',
  date_added: 1449033689,
  date_delete: 1449034289,
  user_id: '1',
  _url: 'https://rest.clicksend.com/files/ea4ca1ac-a0e4-4b8d-bcae-4b35b8d8a6c9.pdf',
};

const mockUploads = () => {
  const { agent, transport } = mockTransport();
  const bodies: unknown[] = [];
  const expectUpload = (convert: string) =>
    agent
      .get(ORIGIN)
      .intercept({ path: '/v3/uploads', method: 'POST', query: { convert } })
      .reply(200, (opts) => {
        bodies.push(JSON.parse(String(opts.body)));
        return { http_code: 200, response_code: 'SUCCESS', response_msg: 'Your file has been uploaded.', data: UPLOADED };
      });
  const calls = () => agent.getCallHistory()?.calls() ?? [];
  return { bodies, calls, expectUpload, uploads: createUploadsApi(transport) };
};

describe('uploads over the wire', () => {
  it('posts the bytes base64-encoded with convert in the query, and reads the file URL', async () => {
    const { bodies, calls, expectUpload, uploads } = mockUploads();
    expectUpload('fax');
    const pdf = Buffer.from('%PDF-1.4\n\u00ff\u0000 binary');

    const result = await uploads.upload({ convert: 'fax', content: pdf });

    expect(bodies).toEqual([{ content: pdf.toString('base64') }]);
    expect(calls()[0]?.path).toBe('/v3/uploads');
    expect(calls()[0]?.searchParams).toEqual({ convert: 'fax' });
    expect(result).toEqual({ ...UPLOADED, upload_id: '130' });
  });

  it('encodes only the viewed bytes of a Uint8Array that shares a larger buffer', async () => {
    const { bodies, expectUpload, uploads } = mockUploads();
    expectUpload('mms');
    const whole = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);

    await uploads.upload({ convert: 'mms', content: whole.subarray(2, 5) });

    expect(bodies).toEqual([{ content: Buffer.from([2, 3, 4]).toString('base64') }]);
  });

  it.each(['fax', 'mms', 'csv', 'post', 'postcard'] as const)('passes convert=%s through', async (convert) => {
    const { expectUpload, uploads } = mockUploads();
    expectUpload(convert);
    await expect(uploads.upload({ convert, content: Buffer.from('x') })).resolves.toMatchObject({ _url: UPLOADED._url });
  });
});

describe('upload input checks', () => {
  const refusedPaths = async (input: UploadRequest) => {
    const { calls, uploads } = mockUploads();
    const error = await uploads.upload(input).catch((e: unknown) => e);
    expect(calls()).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidRequestError);
    return (error as InvalidRequestError).issues.map((i) => i.path);
  };

  it('refuses an empty file before calling ClickSend', async () => {
    expect(await refusedPaths({ convert: 'fax', content: Buffer.alloc(0) })).toEqual(['content']);
  });

  it('refuses a file above 10 MB before calling ClickSend', async () => {
    expect(await refusedPaths({ convert: 'post', content: new Uint8Array(MAX_UPLOAD_BYTES + 1) })).toEqual(['content']);
  });

  it('refuses an unknown convert before calling ClickSend', async () => {
    expect(await refusedPaths({ convert: 'pdf' as 'fax', content: Buffer.from('x') })).toEqual(['convert']);
  });

  it('refuses content given as text rather than bytes before calling ClickSend', async () => {
    expect(await refusedPaths({ convert: 'csv', content: 'a,b' as unknown as Uint8Array })).toEqual(['content']);
  });
});

describe('uploads against the sandbox', () => {
  it('uploads bytes and answers with a URL that serves the same bytes back', async () => {
    const { client, dispatcher, sandbox } = await startSandboxClient();
    const pdf = Buffer.from('%PDF-1.4\n\u00e9\u0000\u00ff%%EOF', 'latin1');

    const result = await client.uploads.upload({ convert: 'post', content: pdf });

    expect(result).toMatchObject({ file_name: expect.stringMatching(/\.pdf$/), _url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) });
    expect(result.date_delete).toBeGreaterThan(result.date_added ?? 0);
    expect(typeof result.upload_id).toBe('string');
    const served = await request(result._url, { dispatcher });
    expect(Buffer.from(await served.body.arrayBuffer())).toEqual(pdf);
    expect([...sandbox.state.uploads.values()].map((u) => u.convert)).toEqual(['post']);
  });

  it('refuses an empty file without uploading anything', async () => {
    const { client, sandbox } = await startSandboxClient();

    const error = await client.uploads.upload({ convert: 'csv', content: new Uint8Array() }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.path)).toEqual(['content']);
    expect(sandbox.state.uploads.size).toBe(0);
  });
});
