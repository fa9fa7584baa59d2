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

/** Where Teams hands out file downloads: SharePoint and OneDrive behind Microsoft 365. */
export const TEAMS_FILE_HOSTS = ['.sharepoint.com', '.sharepoint-df.com', '.onedrive.com', '.microsoft.com', '.office.com', '.office365.com', '.live.com'];

const megabytes = (bytes: number): string => `${Number((bytes / 1024 / 1024).toPrecision(3))} MB`;

const hostAllowed = (host: string, allowed: readonly string[]) =>
  allowed.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) : host === entry));

/**
 * Fetches a file the user attached: only from Microsoft's hosts over HTTPS, never following a
 * redirect (it could lead anywhere), at most `maxBytes` (10 MB) and `timeoutMs` (30 s).
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
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new FileDownloadError(`The file is larger than ${megabytes(maxBytes)}.`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };
};
