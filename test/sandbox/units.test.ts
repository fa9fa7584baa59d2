import { describe, expect, it } from 'vitest';
import { paginate } from '../../src/sandbox/paging.js';
import { parseRecipient } from '../../src/sandbox/phone.js';
import { createRouter } from '../../src/sandbox/router.js';
import { segmentSms, segmentVoice } from '../../src/sandbox/segments.js';

describe('SMS segments', () => {
  it('counts GSM text as 160 in one part and 153 per part beyond', () => {
    expect(segmentSms('a'.repeat(160), 8)).toMatchObject({ encoding: 'gsm', parts: 1 });
    expect(segmentSms('a'.repeat(306), 8)).toMatchObject({ parts: 2 });
    expect(segmentSms('a'.repeat(307), 8)).toMatchObject({ parts: 3 });
  });

  it('counts extension characters and line breaks as two', () => {
    expect(segmentSms('{}'.repeat(40), 8).length).toBe(160);
    expect(segmentSms('a\nb', 8).length).toBe(4);
  });

  it('switches to UCS-2 at 70/67 for any non-GSM character, emoji taking two units', () => {
    expect(segmentSms('ж'.repeat(70), 8)).toMatchObject({ encoding: 'ucs2', parts: 1 });
    expect(segmentSms('ж'.repeat(134), 8)).toMatchObject({ parts: 2 });
    expect(segmentSms('😀'.repeat(35), 8).length).toBe(70);
  });

  it('truncates text beyond the part limit', () => {
    const s = segmentSms('a'.repeat(2000), 8);
    expect(s).toMatchObject({ parts: 8, length: 1224 });
    expect(s.text).toHaveLength(1224);
  });

  it('bills voice per 300 characters, at most 4 units', () => {
    expect(segmentVoice('a'.repeat(301)).parts).toBe(2);
    expect(segmentVoice('a'.repeat(5000))).toMatchObject({ parts: 4, length: 1200 });
    expect(segmentVoice('ж'.repeat(151)).parts).toBe(2);
  });
});

describe('recipients', () => {
  it('always accepts the documented test numbers and rejects what libphonenumber rejects', () => {
    expect(parseRecipient('+8615555555555')).toMatchObject({ valid: true, test: true, country: 'CN' });
    expect(parseRecipient('+447777777777')).toMatchObject({ valid: true, country: 'GB' });
    expect(parseRecipient('07911 123456', 'UK')).toMatchObject({ valid: true, e164: '+447911123456' });
    expect(parseRecipient('+6141').valid).toBe(false);
  });

  it('reads international numbers typed without + or with 00', () => {
    expect(parseRecipient('14055555555')).toMatchObject({ valid: true, e164: '+14055555555', test: true });
    expect(parseRecipient('00447911123456')).toMatchObject({ valid: true, e164: '+447911123456' });
    expect(parseRecipient('0412345678')).toMatchObject({ valid: true, e164: '+61412345678' });
  });
});

describe('routing table', () => {
  const router = createRouter([
    { method: 'PUT', path: '/v3/sms/cancel-all', access: 'account', handle: () => ({ kind: 'json', status: 200, body: 1 }) },
    { method: 'PUT', path: '/v3/sms/:message_id/cancel', access: 'account', handle: () => ({ kind: 'json', status: 200, body: 2 }) },
  ]);

  it('matches static and parameter segments and tells a wrong method from an unknown path', () => {
    expect(router.match('PUT', '/v3/sms/ABC/cancel')).toMatchObject({ kind: 'found', params: { message_id: 'ABC' } });
    expect(router.match('GET', '/v3/sms/cancel-all')).toEqual({ kind: 'wrong-method', allowed: ['PUT'] });
    expect(router.match('PUT', '/v3/sms')).toEqual({ kind: 'none' });
  });
});

describe('pages', () => {
  it('links pages Laravel-style without carrying limit', () => {
    const page = paginate([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], new URLSearchParams('page=2'), 'http://h/v3/x');
    expect(page).toMatchObject({ total: 16, last_page: 2, from: 16, to: 16, data: [16], prev_page_url: 'http://h/v3/x?page=1' });
    expect(page.links.map((l) => l.label)).toEqual(['&laquo; Previous', '1', '2', 'Next &raquo;']);
  });
});
