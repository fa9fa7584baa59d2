import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FileDownloadError } from '../../src/errors.js';
import { createFileDownloader, TEAMS_FILE_HOSTS } from '../../src/teams/download.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback file server whose every answer `handle` writes; it records the paths asked for. */
const serve = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handle(req, res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, paths };
};

const local = (options: Parameters<typeof createFileDownloader>[0] = {}) =>
  createFileDownloader({ allowedHosts: ['127.0.0.1'], allowHttp: true, ...options });

/** A downloader with the production host list over a MockAgent that answers every host 200. */
const production = () => {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  const origins = ['https://contoso.sharepoint.com', 'https://contoso-my.sharepoint.com', 'https://contoso.sharepoint.us'];
  for (const origin of origins) agent.get(origin).intercept({ path: () => true }).reply(200, 'file').persist();
  return { agent, download: createFileDownloader({ dispatcher: agent }) };
};

const refusal = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(FileDownloadError);

describe('file downloads', () => {
  it.each([
    'https://evilsharepoint.com/doc.pdf',
    'https://sharepoint.com.evil.example/doc.pdf',
    'https://contoso.sharepoint.com.evil.example/doc.pdf',
    'https://login.microsoft.com/doc.pdf',
    'https://storage.live.com/doc.pdf',
    'https://evil.office.com/doc.pdf',
    'https://127.0.0.1/doc.pdf',
    'https://[::1]/doc.pdf',
    'https://169.254.169.254/latest/meta-data',
    'http://contoso.sharepoint.com/doc.pdf',
    'file:///etc/passwd',
    'not a url',
  ])('fetches nothing from %s', async (url) => {
    const { agent, download } = production();
    await refusal(download(url));
    expect(agent.getCallHistory()?.calls()).toEqual([]);
    await agent.close();
  });

  it('fetches from SharePoint hosts over https only', async () => {
    const { agent, download } = production();
    for (const url of ['https://contoso.sharepoint.com/a.pdf', 'https://contoso-my.sharepoint.com/b.pdf', 'https://contoso.sharepoint.us/c.pdf']) {
      expect((await download(url)).toString()).toBe('file');
    }
    expect(TEAMS_FILE_HOSTS.every((host) => host.startsWith('.'))).toBe(true);
    await agent.close();
  });

  it('does not follow a redirect, not even to an allowed host', async () => {
    const files = await serve((req, res) => {
      if (req.url === '/start') res.writeHead(302, { location: '/file' }).end();
      else res.end('secret');
    });
    await expect(local()(`${files.url}/start`)).rejects.toThrow(/answered 302/);
    expect(files.paths).toEqual(['/start']);
  });

  it('stops at the size limit when Content-Length is absent', async () => {
    const files = await serve((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 8; i += 1) res.write(Buffer.alloc(512, 1));
      res.end();
    });
    await expect(local({ maxBytes: 1024 })(`${files.url}/f`)).rejects.toThrow(/larger than/);
  });

  it('takes no more than the declared length when Content-Length understates the body', async () => {
    const files = await serve((req, res) => {
      // Declares 100 bytes, then keeps the socket sending raw bytes past them.
      res.writeHead(200, { 'content-length': '100' });
      res.flushHeaders();
      req.socket.write(Buffer.alloc(4096, 1));
    });
    expect(await local({ maxBytes: 1024 })(`${files.url}/f`)).toHaveLength(100);
  });

  it('refuses a declared length over the limit before reading the body', async () => {
    const files = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(20 * 1024 * 1024) });
      res.write(Buffer.alloc(10, 1));
    });
    await expect(local()(`${files.url}/f`)).rejects.toThrow('The file is larger than 10 MB.');
  });

  it('refuses a body that ends before its declared length, in a FileDownloadError', async () => {
    const files = await serve((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(10, 1));
      setTimeout(() => req.socket.destroy(), 20);
    });
    await refusal(local()(`${files.url}/f`));
  });

  it('gives up on a server that never answers, in a FileDownloadError', async () => {
    const files = await serve(() => {});
    const started = Date.now();
    await refusal(local({ timeoutMs: 300 })(`${files.url}/f`));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up on a body that trickles in forever, however short each pause, in a FileDownloadError', async () => {
    const files = await serve((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    await refusal(local({ timeoutMs: 300 })(`${files.url}/f`));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
