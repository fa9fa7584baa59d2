import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { FileDownloadError } from '../errors.js';

export interface DownloaderOptions {
  /** Host names (exact) or suffixes (starting with a dot) files may come from. */
  readonly allowedHosts?: readonly string[];
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /** Tests serve files over http on loopback; production only takes https. */
  readonly allowHttp?: boolean;
  readonly dispatcher?: Dispatcher;
}

/**
 * Where Teams hands out file downloads: the `downloadUrl` of a `file.download.info` attachment
 * is always SharePoint (OneDrive for Business is `<tenant>-my.sharepoint.com`), in the public
 * cloud or a sovereign one. Broader suffixes such as `.microsoft.com`, `.office.com` or
 * `.live.com` cover thousands of hosts Teams never sends files from (some serving content
 * anyone can publish), so they are left out. Every entry starts with a dot: a suffix match
 * without it would take `evilsharepoint.com` for `sharepoint.com`.
 */
export const TEAMS_FILE_HOSTS = ['.sharepoint.com', '.sharepoint.us', '.sharepoint-mil.us', '.sharepoint.cn'];

const megabytes = (bytes: number): string => `${Number((bytes / 1024 / 1024).toPrecision(3))} MB`;

const hostAllowed = (host: string, allowed: readonly string[]) =>
  allowed.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry));

/**
 * Fetches a file the user attached: only from Microsoft's hosts over HTTPS, never following a
 * redirect (it could lead anywhere; undici's `request` follows none), at most `maxBytes`
 * (10 MB, counted as bytes arrive whatever Content-Length says) and `timeoutMs` (30 s for the
 * whole download: the signal also ends a body that trickles in).
 */
export const createFileDownloader = (options: DownloaderOptions = {}) => {
  const allowed = options.allowedHosts ?? TEAMS_FILE_HOSTS;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async (url: string): Promise<Buffer> => {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    const schemeOk = parsed?.protocol === 'https:' || (options.allowHttp === true && parsed?.protocol === 'http:');
    if (!parsed || !schemeOk || !hostAllowed(parsed.hostname, allowed)) {
      throw new FileDownloadError('The file does not come from Teams, so the bot will not fetch it.');
    }
    const response = await request(parsed, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    }).catch((error: unknown) => {
      throw new FileDownloadError('The file could not be downloaded from Teams.', { cause: error });
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new FileDownloadError(`Teams answered ${response.statusCode} for the file.`);
    }
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      await response.body.dump();
      throw new FileDownloadError(`The file is larger than ${megabytes(maxBytes)}.`);
    }
    return readCapped(response.body, maxBytes);
  };
};

/** The body, at most `maxBytes` of it; any failure while reading (a timeout, a cut) is a FileDownloadError. */
const readCapped = async (body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        body.destroy();
        throw new FileDownloadError(`The file is larger than ${megabytes(maxBytes)}.`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof FileDownloadError) throw error;
    throw new FileDownloadError('The file could not be downloaded from Teams.', { cause: error });
  }
  return Buffer.concat(chunks);
};
