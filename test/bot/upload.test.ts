import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileDownloader, type DownloaderOptions } from '../../src/teams/download.js';
import { textMessage, type Scope } from '../helpers/activities.js';
import { cardText, executeActions, startTestBridge, type TestBridge } from '../helpers/bridge.js';

// Teams' download URLs carry a short-lived token; it must never reach a log line or a card.
const TOKEN = 'tempauth-SECRET-7f3a9c';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n'), Buffer.alloc(600, 7), Buffer.from('\n%%EOF\n')]);

interface FileServer {
  readonly url: string;
  readonly requests: string[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Serves `body` on loopback; `chunked` leaves out Content-Length, so only the bytes read count. */
const startFileServer = async (body: Buffer, options: { chunked?: boolean } = {}): Promise<FileServer> => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (options.chunked) {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      for (let i = 0; i < body.length; i += 256) res.write(body.subarray(i, i + 256));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(body.length) });
    res.end(body);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests };
};

const startBridge = (options: DownloaderOptions = {}) =>
  startTestBridge({ deps: { download: createFileDownloader({ allowedHosts: ['127.0.0.1'], allowHttp: true, ...options }) } });

/** `upload <what>` with one file attached, as Teams sends it in a personal chat. */
const uploadMessage = (bridge: TestBridge, text: string, downloadUrl?: string, scope: Scope = 'personal') => ({
  ...textMessage(bridge.connector.url, text, scope),
  attachments: [
    ...(downloadUrl
      ? [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'doc.pdf', content: { downloadUrl, uniqueId: 'f-1', fileType: 'pdf' } }]
      : []),
    { contentType: 'text/html', content: `<p>${text}</p>` },
  ],
});

/** Posts the activity and answers the text of the one card the bot posts back. */
const answer = async (bridge: TestBridge, activity: object): Promise<{ text: string; card: Record<string, unknown> }> => {
  expect((await bridge.post(activity)).status).toBe(200);
  await bridge.connector.waitForCalls(1);
  const card = bridge.connector.cards()[0]!.card;
  return { text: cardText(card), card };
};

const expectNoSecrets = (bridge: TestBridge, card: unknown) => {
  for (const secret of [TOKEN, bridge.sandbox.credentials.apiKey]) {
    expect(bridge.logs()).not.toContain(secret);
    expect(JSON.stringify(card)).not.toContain(secret);
  }
};

describe('upload through /api/messages', () => {
  it('downloads the attached file, uploads it to ClickSend and answers with the URL of the same bytes', async () => {
    const files = await startFileServer(PDF);
    const bridge = await startBridge();
    const { text, card } = await answer(bridge, uploadMessage(bridge, 'upload fax', `${files.url}/doc.pdf?${TOKEN}`));
    expect(files.requests).toEqual([`/doc.pdf?${TOKEN}`]);
    const uploads = [...bridge.sandbox.state.uploads.values()];
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.convert).toBe('fax');
    const url = uploads[0]!._url;
    expect(text).toContain('File converted');
    expect(text).toContain('doc.pdf');
    expect(text).toContain(url);
    const served = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(served.equals(PDF)).toBe(true);
    expect(executeActions(card)).toEqual([{ title: 'Fax it', verb: 'form.open', data: { form: 'fax', values: { file_url: url }, _card: expect.any(String) } }]);
    expectNoSecrets(bridge, card);
  });

  it('refuses a file from a host that is not on the allowed list and uploads nothing', async () => {
    const files = await startFileServer(PDF);
    const bridge = await startBridge();
    const elsewhere = files.url.replace('127.0.0.1', 'localhost');
    const { text, card } = await answer(bridge, uploadMessage(bridge, 'upload post', `${elsewhere}/doc.pdf?${TOKEN}`));
    expect(text).toContain('The file could not be used');
    expect(text).toContain('does not come from Teams');
    expect(files.requests).toEqual([]);
    expect(bridge.sandbox.state.uploads.size).toBe(0);
    expectNoSecrets(bridge, card);
  });

  it('refuses a file declared larger than the limit and uploads nothing', async () => {
    const files = await startFileServer(Buffer.alloc(4096, 1));
    const bridge = await startBridge({ maxBytes: 1024 });
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload mms', `${files.url}/big.jpg`));
    expect(text).toContain('The file could not be used');
    expect(text).toContain('larger than');
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });

  it('fetches nothing from outside Microsoft 365 with the production downloader', async () => {
    const files = await startFileServer(PDF);
    const bridge = await startTestBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload fax', `${files.url}/doc.pdf`));
    expect(text).toContain('does not come from Teams');
    expect(files.requests).toEqual([]);
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });

  it('refuses a file over 10 MB by default', async () => {
    const files = await startFileServer(Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    const bridge = await startBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload post', `${files.url}/big.pdf`));
    expect(text).toContain('larger than 10 MB');
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });

  it('stops reading a file sent without a length once it passes the limit', async () => {
    const files = await startFileServer(Buffer.alloc(4096, 1), { chunked: true });
    const bridge = await startBridge({ maxBytes: 1024 });
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload postcard', `${files.url}/big.pdf`));
    expect(text).toContain('larger than');
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });

  it('explains a download that fails, without the URL token in logs or card', async () => {
    const files = await startFileServer(PDF);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const bridge = await startBridge();
    const activity = uploadMessage(bridge, 'upload fax', `${files.url}/doc.pdf?${TOKEN}`);
    const { text, card } = await answer(bridge, activity);
    expect(text).toContain('could not be downloaded');
    expect(text).toContain(`Reference: ${activity.id}`);
    expect(bridge.logs()).toContain(activity.id);
    expectNoSecrets(bridge, card);
  });

  it('says an empty file cannot be converted', async () => {
    const files = await startFileServer(Buffer.alloc(0));
    const bridge = await startBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload fax', `${files.url}/empty.pdf`));
    expect(text).toContain('the file is empty');
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });

  it('works only in a personal chat', async () => {
    const files = await startFileServer(PDF);
    const bridge = await startBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload fax', `${files.url}/doc.pdf`, 'channel'));
    expect(text).toContain('works in a personal chat');
    expect(files.requests).toEqual([]);
  });

  it('asks what the file is for when the kind is unknown', async () => {
    const files = await startFileServer(PDF);
    const bridge = await startBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload banana', `${files.url}/doc.pdf`));
    expect(text).toContain('What is the file for?');
    expect(text).toContain('upload fax, upload mms, upload post, upload postcard or upload csv');
    expect(files.requests).toEqual([]);
  });

  it('asks for the file when none is attached', async () => {
    const bridge = await startBridge();
    const { text } = await answer(bridge, uploadMessage(bridge, 'upload csv'));
    expect(text).toContain('Attach exactly one file');
    expect(bridge.sandbox.state.uploads.size).toBe(0);
  });
});
