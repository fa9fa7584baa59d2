/** Files the sandbox serves back from `/uploads`, and what send routes learn from them. */
import type { SandboxDeps } from './deps.js';
import type { UploadRecord } from './state.js';

export const FILES_PATH = '/files';

/** The upload behind `url` when it points at this sandbox's `/files/`, else undefined. */
export const findUpload = (deps: SandboxDeps, url: string): UploadRecord | undefined => {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.origin !== new URL(deps.baseUrl()).origin || !parsed.pathname.startsWith(`${FILES_PATH}/`)) return undefined;
  return deps.state.uploads.get(parsed.pathname.slice(FILES_PATH.length + 1));
};

/** Pages of a PDF, counted from its page objects; 1 when it cannot tell. */
export const pdfPages = (bytes: Buffer): number => {
  const count = bytes.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return Math.max(1, count);
};

/** Pages of the document at `url`: counted for a sandbox upload, 1 for anything else. */
export const pagesAt = (deps: SandboxDeps, url: string): number => {
  const upload = findUpload(deps, url);
  return upload ? pdfPages(upload.bytes) : 1;
};

/** Lower-case extension of a URL's last path segment, if it has one. */
export const extensionOf = (url: string): string | undefined => {
  if (!URL.canParse(url)) return undefined;
  const last = new URL(url).pathname.split('/').pop() ?? '';
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : undefined;
};
