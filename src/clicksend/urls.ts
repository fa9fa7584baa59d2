import { z } from 'zod';

/**
 * The URL of a file ClickSend fetches itself (`media_file`, `file_url`, `file_urls`). ClickSend
 * is HTTPS only and documents no longer URL than the common 2,048 characters. Loopback over
 * plain http is the one exception: the local sandbox serves its uploads from there, and
 * ClickSend could never reach such a URL anyway, so it cannot leak a real send to plain http.
 */
export const MAX_FILE_URL_LENGTH = 2048;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

const isAllowedUrl = (value: string): boolean => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
};

export const FileUrlSchema = z
  .string()
  .trim()
  .max(MAX_FILE_URL_LENGTH, `a file URL may be at most ${MAX_FILE_URL_LENGTH.toLocaleString('en-US')} characters`)
  .refine(isAllowedUrl, 'give the https:// URL of the file');
