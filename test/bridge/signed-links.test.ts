import { describe, expect, it } from 'vitest';
import { createSignedLinks, EXPORT_LINK_TTL_MS } from '../../src/bridge/signed-links.js';

const SECRET = 'audit-link-secret-0123456789abcdef0123456789';
const SEND_ID = /^[\w-]{1,100}$/;

const linksAt = (clock: { now: Date }, options: { secret?: string; purpose?: string } = {}) =>
  createSignedLinks({
    publicUrl: 'https://bridge.example.com',
    secret: options.secret ?? SECRET,
    purpose: options.purpose ?? 'send-export-link',
    path: '/exports/send.csv',
    now: () => clock.now,
  });

const queryOf = (link: string) => Object.fromEntries(new URL(link).searchParams);

describe('signed download links', () => {
  it('open with the values they were made for, from the public URL, for an hour', () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const links = linksAt(clock);
    const link = links.link({ send: 'send-1' });
    expect(link.startsWith('https://bridge.example.com/exports/send.csv?send=send-1&expires=')).toBe(true);
    expect(link).not.toContain(SECRET);
    const query = queryOf(link);
    expect(Number(query.expires)).toBe(clock.now.getTime() + EXPORT_LINK_TTL_MS);
    expect(links.verify(query, { send: SEND_ID })).toEqual({ values: { send: 'send-1' } });
  });

  it('are refused once expired', () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const links = linksAt(clock);
    const query = queryOf(links.link({ send: 'send-1' }));
    clock.now = new Date(clock.now.getTime() + EXPORT_LINK_TTL_MS);
    expect(links.verify(query, { send: SEND_ID })).toEqual({ values: { send: 'send-1' } });
    clock.now = new Date(clock.now.getTime() + 1);
    expect(links.verify(query, { send: SEND_ID })).toEqual({ refused: 'expired' });
  });

  it('are refused when their signature or expiry was changed, or a part is missing', () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const links = linksAt(clock);
    const query = queryOf(links.link({ send: 'send-1' }));
    const forged = query.sig!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(links.verify({ ...query, sig: forged }, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(links.verify({ ...query, sig: `${query.sig}x` }, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(links.verify({ ...query, expires: String(Number(query.expires) + 86_400_000) }, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(links.verify({ ...query, expires: 'soon' }, { send: SEND_ID })).toEqual({ refused: 'malformed' });
    expect(links.verify({ ...query, sig: undefined }, { send: SEND_ID })).toEqual({ refused: 'malformed' });
    expect(links.verify({ ...query, send: undefined }, { send: SEND_ID })).toEqual({ refused: 'malformed' });
  });

  it('do not open another send, nor serve another purpose or another secret', () => {
    const clock = { now: new Date('2026-11-28T10:00:00Z') };
    const query = queryOf(linksAt(clock).link({ send: 'send-1' }));
    expect(linksAt(clock).verify({ ...query, send: 'send-2' }, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(linksAt(clock, { purpose: 'audit-export-link' }).verify(query, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(linksAt(clock, { secret: 'another-secret-of-at-least-32-characters!' }).verify(query, { send: SEND_ID })).toEqual({ refused: 'bad-signature' });
    expect(linksAt(clock).verify(query, { send: SEND_ID })).toEqual({ values: { send: 'send-1' } });
  });
});
