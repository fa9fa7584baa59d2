import { z } from 'zod';
import { verifyRequest } from './requests.js';
import { optionalNumber, optionalString } from './schemas.js';
import type { Transport } from './transport.js';

/**
 * `POST /uploads?convert=...` stores a file at ClickSend (converted for the product named by
 * `convert`) and answers with the URL to send as `media_file`, `file_url` or `file_urls`. The
 * file expires about ten minutes later.
 */

/** What the file is converted for. */
export const UploadConvertSchema = z.enum(['fax', 'mms', 'csv', 'post', 'postcard']);
export type UploadConvert = z.infer<typeof UploadConvertSchema>;

/**
 * ClickSend documents no upload limit; its largest product limit is a 10 MB letter PDF (fax 4 MB,
 * MMS 250 kB), so nothing larger could be sent anyway. Base64 makes the request a third bigger.
 */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const UploadRequestSchema = z.object({
  convert: UploadConvertSchema,
  /** The raw bytes of the file; the client base64-encodes them. */
  content: z
    // z.instanceof(Uint8Array) would narrow to Uint8Array<ArrayBuffer> and refuse a pooled Buffer's type.
    .custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'give the file content as bytes' })
    .refine((bytes) => bytes.byteLength > 0, 'the file is empty')
    .refine((bytes) => bytes.byteLength <= MAX_UPLOAD_BYTES, 'the file is larger than 10 MB'),
});
export type UploadRequest = z.input<typeof UploadRequestSchema>;

export const UploadResultSchema = z.looseObject({
  upload_id: optionalString,
  file_name: optionalString,
  date_added: optionalNumber,
  /** Unix time after which ClickSend deletes the file. */
  date_delete: optionalNumber,
  user_id: optionalString,
  /** The URL to pass on to a send. */
  _url: z.string(),
});
export type UploadResult = z.infer<typeof UploadResultSchema>;

export const createUploadsApi = (transport: Transport) => ({
  /** Uploads and converts one file; nothing is sent to anyone. */
  async upload(input: UploadRequest): Promise<UploadResult> {
    const operation = 'uploads.upload';
    const { convert, content } = verifyRequest(operation, UploadRequestSchema, input);
    return transport.call({
      operation,
      method: 'POST',
      path: '/uploads',
      query: { convert },
      body: { content: Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64') },
      data: UploadResultSchema,
    });
  },
});
export type UploadsApi = ReturnType<typeof createUploadsApi>;
