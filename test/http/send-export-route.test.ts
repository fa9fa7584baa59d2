import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSendExports, sendCsv, type SendExportsDeps } from '../../src/bridge/send-export.js';
import { EXPORT_LINK_TTL_MS } from '../../src/bridge/signed-links.js';
import { createHttpServer } from '../../src/http/server.js';
import { mountSendExportRoute } from '../../src/http/send-export-route.js';
import { silentLogger } from '../../src/log.js';
import type { SendRecord } from '../../src/store/sends.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';

const AUD = { currency_name_short: 'AUD', currency_prefix_d: '$' };

const SEND: SendRecord = {
  id: '5f0c7a52-3f0e-4c39-9d43-6a1e0f8b2c11',
  kind: 'sms',
  place: { conversationId: 'a:chat', serviceUrl: 'https://smba.example/', tenantId: 't', botId: '28:bot' },
  sentBy: 'Ada',
  totalPrice: 0.0792 * 25,
  currency: AUD,
  createdAt: new Date('2026-11-28T09:00:00Z'),
  messages: Array.from({ length: 25 }, (_, i) => ({
    messageId: `M-${i}`,
    recipient: `+614${String(10_000_000 + i)}`,
    status: i % 5 === 0 ? ('failed' as const) : ('delivered' as const),
    ...(i % 5 === 0 ? { statusText: 'Number disconnected' } : {}),
    units: 1,
    price: 0.0792,
  })),
};

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** The route on a real server on a loopback port, over a SQLite store holding SEND. */
const start = async (options: { configured?: boolean; store?: (store: Store) => SendExportsDeps['store'] } = {}) => {
  const store = await openSqliteStore({ path: ':memory:', logger: silentLogger });
  await store.recordSend(SEND);
  const clock = { now: new Date('2026-11-28T10:00:00Z') };
  const exports = createSendExports({
    publicUrl: 'https://bridge.example.com',
    secret: 'audit-link-secret-0123456789abcdef0123456789',
    store: options.store ? options.store(store) : store,
    now: () => clock.now,
  });
  const server = createHttpServer({ logger: silentLogger });
  mountSendExportRoute(server, options.configured === false ? undefined : exports, silentLogger);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** The link `exports` made, served by this server instead of the public URL. */
  const local = (link: string) => {
    const url = new URL(link);
    return new URL(`${base}${url.pathname}${url.search}`);
  };
  return { clock, exports, local, base };
};

/** A refusal: its status, and a JSON body with only an error that says what to do. */
const expectRefusal = async (response: Response, status: number, says: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toEqual({ error: expect.stringContaining(says) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
};

describe('GET /exports/send.csv', () => {
  it('answers a signed link with the CSV of every recipient of the send, as a file to keep', async () => {
    const { exports, local } = await start();
    const response = await fetch(local(exports.link(SEND.id)));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="send-2026-11-28-5f0c7a52.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const csv = await response.text();
    expect(csv).toBe(sendCsv(SEND));
    expect(csv.trimEnd().split('\r\n')).toHaveLength(26);
  });

  it('answers 403 with a JSON error for a tampered signature, another send, or an expired link', async () => {
    const { clock, exports, local } = await start();
    const url = local(exports.link(SEND.id));
    const forged = new URL(url);
    forged.searchParams.set('sig', url.searchParams.get('sig')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    await expectRefusal(await fetch(forged), 403, 'not valid');
    const moved = new URL(url);
    moved.searchParams.set('send', 'another-send');
    await expectRefusal(await fetch(moved), 403, 'not valid');
    clock.now = new Date(clock.now.getTime() + EXPORT_LINK_TTL_MS + 1);
    await expectRefusal(await fetch(url), 403, 'expired');
  });

  it('answers 404 for a well-signed link to a send it does not have, and 400 for an incomplete link', async () => {
    const { exports, local } = await start();
    await expectRefusal(await fetch(local(exports.link('no-such-send'))), 404, 'no send');
    const partial = local(exports.link(SEND.id));
    partial.searchParams.delete('sig');
    await expectRefusal(await fetch(partial), 400, 'not a complete');
  });

  it('answers 404 saying what it needs when PUBLIC_URL and AUDIT_LINK_SECRET are not both set', async () => {
    const { base } = await start({ configured: false });
    await expectRefusal(await fetch(`${base}/exports/send.csv?send=x&expires=1&sig=y`), 404, 'PUBLIC_URL and AUDIT_LINK_SECRET');
  });

  it('answers 500 with a JSON error, and no stack, when the store fails', async () => {
    const { exports, local } = await start({ store: () => ({ getSend: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')) }) });
    const response = await fetch(local(exports.link(SEND.id)));
    await expectRefusal(response.clone(), 500, 'try again');
    expect(await response.text()).not.toContain('SQLITE_BUSY');
  });
});
