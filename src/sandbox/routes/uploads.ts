/**
 * `POST /uploads?convert=fax|mms|csv|post|postcard` with `{content: base64}` (or multipart), and
 * `GET /files/{name}`, which serves the decoded bytes back at the `_url` the upload answered,
 * until it expires ten minutes later as ClickSend's do. Nothing is really converted.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success, type RawReply } from '../envelope.js';
import { FILES_PATH } from '../files.js';
import { parseJsonBody } from '../http-body.js';
import { accountOf } from '../outbound.js';
import type { ApiRequest, Route } from '../router.js';
import { nextId, type UploadRecord } from '../state.js';
import { parseBody } from '../validation.js';

const CONVERSIONS = ['fax', 'mms', 'csv', 'post', 'postcard'] as const;
type Conversion = (typeof CONVERSIONS)[number];

/** The format each conversion yields, which is also the served file's extension. */
const EXTENSION: Readonly<Record<Conversion, string>> = { fax: 'pdf', mms: 'jpg', csv: 'csv', post: 'pdf', postcard: 'pdf' };
const CONTENT_TYPE: Readonly<Record<string, string>> = { pdf: 'application/pdf', jpg: 'image/jpeg', csv: 'text/csv' };

const EXPIRY_SECONDS = 600;

const Convert = z.enum(CONVERSIONS, { error: `must be one of ${CONVERSIONS.join(', ')}` });
const JsonUpload = z.looseObject({
  content: z.string().min(1, { error: 'must not be empty' }).refine((v) => /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v), {
    error: 'must be base64',
  }),
  convert: Convert.optional(),
});

/** The bytes and requested conversion, from a JSON body or a multipart form. */
const readUpload = async (request: ApiRequest): Promise<{ bytes: Buffer; convert: string | undefined }> => {
  const type = request.headers['content-type'] ?? '';
  if (type.toLowerCase().startsWith('multipart/form-data')) {
    const form = await new Response(request.rawBody, { headers: { 'content-type': type } }).formData().catch((error: unknown) => {
      throw new ApiError('BAD_REQUEST', 'Malformed multipart body.', { cause: error });
    });
    const file = [...form.values()].find((v): v is File => typeof v !== 'string');
    if (!file) throw new ApiError('BAD_REQUEST', 'The file field is required.', { data: { file: 'The file field is required.' } });
    return { bytes: Buffer.from(await file.arrayBuffer()), convert: undefined };
  }
  const body = parseJsonBody(request.rawBody);
  const parsed = parseBody(JsonUpload, body);
  return { bytes: Buffer.from(parsed.content, 'base64'), convert: parsed.convert };
};

export const uploadRoutes = (deps: SandboxDeps): Route[] => {
  const upload = async (request: ApiRequest) => {
    const account = accountOf(request);
    const { bytes, convert: fromBody } = await readUpload(request);
    // ClickSend takes `convert` from the query string, or from a JSON body.
    const convert = parseBody(z.object({ convert: Convert }), { convert: request.query.get('convert') ?? fromBody }).convert;
    const now = deps.clock.nowSeconds();
    const fileName = `${randomUUID().toUpperCase()}.${EXTENSION[convert]}`;
    const record: UploadRecord = {
      upload_id: nextId(deps.state, 'upload'),
      file_name: fileName,
      date_added: now,
      date_delete: now + EXPIRY_SECONDS,
      user_id: account.userId,
      _url: `${deps.baseUrl()}${FILES_PATH}/${fileName}`,
      convert,
      bytes,
    };
    deps.state.uploads.set(fileName, record);
    const { bytes: _bytes, convert: _convert, ...data } = record;
    return success('Your file has been uploaded.', data);
  };

  const serve = (request: ApiRequest): RawReply => {
    const record = deps.state.uploads.get(request.params.file_name ?? '');
    if (!record || record.date_delete < deps.clock.nowSeconds()) throw new ApiError('NOT_FOUND', 'File not found.');
    const ext = record.file_name.split('.').pop() ?? '';
    return { kind: 'raw', status: 200, body: record.bytes, contentType: CONTENT_TYPE[ext] ?? 'application/octet-stream' };
  };

  return [
    { method: 'POST', path: '/v3/uploads', access: 'account', body: 'raw', handle: upload },
    { method: 'GET', path: `${FILES_PATH}/:file_name`, access: 'public', handle: serve },
  ];
};
