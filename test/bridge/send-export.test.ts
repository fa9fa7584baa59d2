import { describe, expect, it } from 'vitest';
import { createSendExports, sendCsv } from '../../src/bridge/send-export.js';
import { EXPORT_LINK_TTL_MS } from '../../src/bridge/signed-links.js';
import type { SendRecord } from '../../src/store/sends.js';

const AUD = { currency_name_short: 'AUD', currency_prefix_d: '$' };

const aSend = (overrides: Partial<SendRecord> = {}): SendRecord => ({
  id: 'send-1',
  kind: 'sms',
  place: { conversationId: 'a:chat', serviceUrl: 'https://smba.example/', tenantId: 't', botId: '28:bot' },
  sentBy: 'Ada',
  totalPrice: 0.1584,
  currency: AUD,
  createdAt: new Date('2026-11-28T09:00:00Z'),
  messages: [
    { messageId: 'M-1', recipient: '+61411111111', status: 'delivered', units: 1, price: 0.0792 },
    { messageId: 'M-2', recipient: '+61411111112', status: 'failed', statusText: 'Number disconnected, try "later"', units: 2, price: 0.0792 },
    // Refused by ClickSend: kept under one of the send's own ids, with no price.
    { messageId: 'send-1:2', recipient: '+61400000000', status: 'failed', statusText: '=HYPERLINK("http://evil")' },
  ],
  ...overrides,
});

const exportsAt = (clock: { now: Date }, sends: readonly SendRecord[] = [aSend()]) =>
  createSendExports({
    publicUrl: 'https://bridge.example.com',
    secret: 'audit-link-secret-0123456789abcdef0123456789',
    store: { getSend: async (id) => sends.find((s) => s.id === id) },
    now: () => clock.now,
  });

const queryOf = (link: string) => Object.fromEntries(new URL(link).searchParams);

describe('sendCsv', () => {
  it('has a row per recipient with its message id, status, ClickSend’s reason, parts, price and currency', () => {
    expect(sendCsv(aSend()).split('\r\n')).toEqual([
      'recipient,message_id,status,reason,parts,price,currency',
      '+61411111111,M-1,delivered,,1,0.0792,AUD',
      '+61411111112,M-2,failed,"Number disconnected, try ""later""",2,0.0792,AUD',
      `+61400000000,,failed,"'=HYPERLINK(""http://evil"")",,,AUD`,
      '',
    ]);
  });

  it('counts pages for fax and post, and defuses a postal name a spreadsheet would run as a formula', () => {
    expect(sendCsv(aSend({ kind: 'fax' })).split('\r\n')[0]).toBe('recipient,message_id,status,reason,pages,price,currency');
    const letter = aSend({ kind: 'letter', messages: [{ messageId: 'L-1', recipient: '=cmd|calc', status: 'sent', units: 1, price: 1.5 }] });
    expect(sendCsv(letter).split('\r\n')[1]).toBe(`'=cmd|calc,L-1,sent,,1,1.5000,AUD`);
  });
});

describe('send download links', () => {
  it('serve the CSV of every recipient of their send, for an hour', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock);
    const link = exports.link('send-1');
    expect(link.startsWith('https://bridge.example.com/exports/send.csv?send=send-1&expires=')).toBe(true);
    const opened = await exports.open(queryOf(link));
    expect(opened).toEqual({ csv: sendCsv(aSend()), send: aSend() });
    clock.now = new Date(clock.now.getTime() + EXPORT_LINK_TTL_MS + 1);
    expect(await exports.open(queryOf(link))).toEqual({ refused: 'expired' });
  });

  it('refuse a tampered link, and one moved to another send', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock, [aSend(), aSend({ id: 'send-2' })]);
    const query = queryOf(exports.link('send-1'));
    expect(await exports.open({ ...query, send: 'send-2' })).toEqual({ refused: 'bad-signature' });
    expect(await exports.open({ ...query, sig: query.sig!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).toEqual({ refused: 'bad-signature' });
    expect(await exports.open({ ...query, send: '../audit' })).toEqual({ refused: 'malformed' });
  });

  it('say when a well-signed link names a send the store does not have', async () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const exports = exportsAt(clock, []);
    expect(await exports.open(queryOf(exports.link('gone')))).toEqual({ refused: 'unknown-send' });
  });
});
