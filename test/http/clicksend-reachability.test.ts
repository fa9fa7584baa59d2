import { describe, expect, it } from 'vitest';
import { createClickSendReachability } from '../../src/http/clicksend-reachability.js';

const clock = (start = Date.parse('2025-03-01T10:00:00Z')) => {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
};

describe('ClickSend reachability', () => {
  it('reports the outcome of the last exchange and when it ended, and never fails readiness', () => {
    const time = clock();
    const reachability = createClickSendReachability({ now: time.now });
    const check = async () => undefined;
    reachability.record('sms.send', 'ok');
    expect(reachability.report(check)).toEqual({ ok: true, reachable: true, checkedAt: '2025-03-01T10:00:00.000Z' });
    // A refusal is an answer: ClickSend is there.
    reachability.record('sms.send', 'http_4xx');
    expect(reachability.report(check)).toMatchObject({ ok: true, reachable: true });
    reachability.record('account.get', 'http_5xx');
    expect(reachability.report(check)).toEqual({
      ok: true,
      reachable: false,
      checkedAt: '2025-03-01T10:00:00.000Z',
      reason: 'the last call to ClickSend (account.get) failed: http_5xx',
    });
    reachability.record('sms.send', 'UND_ERR_CONNECT_TIMEOUT');
    expect(reachability.report(check)).toMatchObject({ ok: true, reachable: false, reason: expect.stringContaining('UND_ERR_CONNECT_TIMEOUT') });
  });

  it('checks ClickSend itself when nothing was heard for a minute, at most once a minute however often it is asked', () => {
    const time = clock();
    const reachability = createClickSendReachability({ now: time.now });
    let checks = 0;
    const check = async () => void checks++;
    expect(reachability.report(check)).toMatchObject({ ok: true, reachable: null, checkedAt: null });
    for (let i = 0; i < 10; i++) reachability.report(check);
    expect(checks).toBe(1);
    reachability.record('account.get', 'ok');
    time.advance(59_000);
    reachability.report(check);
    expect(checks).toBe(1);
    time.advance(1_000);
    reachability.report(check);
    reachability.report(check);
    expect(checks).toBe(2);
    // Sends in between make a check needless.
    time.advance(50_000);
    reachability.record('sms.send', 'ok');
    time.advance(20_000);
    reachability.report(check);
    expect(checks).toBe(2);
  });

  it('says the credentials are not set when there is nothing to check with', () => {
    expect(createClickSendReachability().report()).toEqual({
      ok: true,
      reachable: null,
      checkedAt: null,
      reason: 'CLICKSEND_USERNAME and CLICKSEND_API_KEY are not set',
    });
  });
});
