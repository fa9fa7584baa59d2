import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Opens a connection, sends `head`, then trickles a byte every 50 ms; resolves with what came back and when. */
const trickle = async (head: string): Promise<{ answer: string; afterMs: number }> => {
  server = createHttpServer({ logger: silentLogger, timeouts: { headersMs: 300, requestMs: 600, checkEveryMs: 50 } });
  server.post('/upload', async (req, res) => {
    req.resume();
    await once(req, 'end');
    res.send(200, { ok: true });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = connect(server.address().port, '127.0.0.1');
  const started = Date.now();
  socket.write(head);
  const drip = setInterval(() => socket.write('a'), 50);
  let answer = '';
  socket.on('data', (chunk) => (answer += String(chunk)));
  await once(socket, 'close');
  clearInterval(drip);
  return { answer, afterMs: Date.now() - started };
};

describe('slow clients', () => {
  it('are answered 408 and cut off when their headers take too long', async () => {
    const { answer, afterMs } = await trickle('GET /healthz HTTP/1.1\r\nHost: bridge\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(2_000);
  });

  it('are answered 408 and cut off when their body takes too long', async () => {
    const { answer, afterMs } = await trickle('POST /upload HTTP/1.1\r\nHost: bridge\r\nContent-Type: text/plain\r\nContent-Length: 10000\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(2_500);
  });
});
