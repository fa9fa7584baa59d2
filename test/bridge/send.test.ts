import { describe, expect, it } from 'vitest';
import { createSendPipeline, type SendAnswer, type SendContext, type SendPlan } from '../../src/bridge/send.js';
import type { ClickSendClient } from '../../src/clicksend/client.js';
import { ClickSendMessagesFailedError, ClickSendPartialSendError, ClickSendTimeoutError } from '../../src/clicksend/errors.js';
import { ClickSendNotConfiguredError, OptedOutError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { SendRecord } from '../../src/store/sends.js';

/** The send use case with fakes: a store in memory, and plans whose ClickSend calls are counted. */

const AUD = { currency_name_short: 'AUD', currency_prefix_d: '$' };
// The pipeline only hands the client to the plan's own calls, which these fakes ignore.
const CLIENT = {} as ClickSendClient;

const answer = (rows: { to: string; status?: string; id?: string }[], price = 0.08): SendAnswer => ({
  messages: rows.map((r, i) => ({ to: r.to, status: r.status ?? 'SUCCESS', message_id: r.id ?? `M-${i + 1}`, message_parts: 1, message_price: price })),
  total_price: price * rows.filter((r) => (r.status ?? 'SUCCESS') === 'SUCCESS').length,
  _currency: AUD,
});

const fakeStore = (optedOut: readonly string[] = []) => {
  const sends: SendRecord[] = [];
  return {
    sends,
    failRecord: false,
    isOptedOut: async (n: string) => optedOut.includes(n),
    async recordSend(send: SendRecord) {
      if (this.failRecord) throw new Error('database down');
      sends.push(send);
    },
    setSendCard: async () => undefined,
    getSend: async (id: string) => sends.find((s) => s.id === id),
  };
};

const plan = (overrides: Partial<SendPlan> & { answer?: SendAnswer; priced?: SendAnswer } = {}) => {
  const calls = { price: 0, send: 0 };
  const made: SendPlan = {
    kind: 'sms',
    numbers: ['+61411111111'],
    confirmFirst: false,
    price: async () => {
      calls.price += 1;
      return overrides.priced ?? overrides.answer ?? answer([{ to: '+61411111111' }]);
    },
    send: async () => {
      calls.send += 1;
      return overrides.answer ?? answer([{ to: '+61411111111' }]);
    },
    ...overrides,
  };
  return { plan: made, calls };
};

const context = (audits: unknown[] = [], confirmed = false): SendContext => ({
  place: { conversationId: 'a:chat', serviceUrl: 'https://smba.example/', tenantId: 't1', botId: '28:bot' },
  sentBy: 'Ada',
  confirmed,
  audit: async (facts) => void audits.push(facts),
});

const pipeline = (store = fakeStore(), options: { confirmAbove?: number; clicksend?: ClickSendClient | undefined } = {}) =>
  createSendPipeline({
    clicksend: 'clicksend' in options ? options.clicksend : CLIENT,
    store,
    confirmAbove: options.confirmAbove,
    logger: silentLogger,
    newId: () => 'send-1',
    now: () => new Date('2026-12-01T00:00:00Z'),
  });

describe('the send pipeline', () => {
  it('sends once, records every message where its card will be, and audits what ClickSend accepted', async () => {
    const store = fakeStore();
    const audits: unknown[] = [];
    const { plan: p, calls } = plan();
    const outcome = await pipeline(store).run(p, context(audits));
    expect(outcome).toMatchObject({ kind: 'sent', accepted: true, send: { id: 'send-1', kind: 'sms', totalPrice: 0.08, currency: AUD } });
    expect(calls).toEqual({ price: 0, send: 1 });
    expect(store.sends[0]?.messages).toEqual([{ messageId: 'M-1', recipient: '+61411111111', status: 'queued', units: 1, price: 0.08 }]);
    expect(store.sends[0]?.place.conversationId).toBe('a:chat');
    expect(audits).toEqual([{ recipients: 1, messageIds: ['M-1'], price: 0.08, currency: 'AUD' }]);
  });

  it('refuses a number that opted out before anything is priced or sent', async () => {
    const { plan: p, calls } = plan();
    await expect(pipeline(fakeStore(['+61411111111'])).run(p, context())).rejects.toBeInstanceOf(OptedOutError);
    expect(calls).toEqual({ price: 0, send: 0 });
  });

  it('says ClickSend is not configured before anything else', async () => {
    const { plan: p, calls } = plan();
    await expect(pipeline(fakeStore(), { clicksend: undefined }).run(p, context())).rejects.toBeInstanceOf(ClickSendNotConfiguredError);
    expect(calls).toEqual({ price: 0, send: 0 });
  });

  it('asks first for a list, a letter or a postcard whatever it costs, and sends once confirmed', async () => {
    const { plan: p, calls } = plan({ confirmFirst: true, priced: answer([{ to: 'a' }, { to: 'b', status: 'INVALID_RECIPIENT' }], 0.01) });
    const asked = await pipeline().run(p, context());
    expect(asked).toMatchObject({ kind: 'confirm', recipients: 2, refused: 1 });
    expect(calls).toEqual({ price: 1, send: 0 });
    expect(await pipeline().run(p, context([], true))).toMatchObject({ kind: 'sent' });
    expect(calls).toEqual({ price: 1, send: 1 });
  });

  it('asks first above SEND_CONFIRM_ABOVE and not below it', async () => {
    const dear = plan({ priced: answer([{ to: 'a' }], 2.5) });
    expect(await pipeline(fakeStore(), { confirmAbove: 2 }).run(dear.plan, context())).toMatchObject({ kind: 'confirm' });
    expect(dear.calls).toEqual({ price: 1, send: 0 });
    const cheap = plan({ priced: answer([{ to: 'a' }], 1.5) });
    expect(await pipeline(fakeStore(), { confirmAbove: 2 }).run(cheap.plan, context())).toMatchObject({ kind: 'sent' });
    expect(cheap.calls).toEqual({ price: 1, send: 1 });
    // Without a threshold an SMS to a number is not priced first.
    const plain = plan();
    await pipeline().run(plain.plan, context());
    expect(plain.calls).toEqual({ price: 0, send: 1 });
  });

  it('records a partial failure per recipient with ClickSend’s reason, and audits only the accepted', async () => {
    const store = fakeStore();
    const audits: unknown[] = [];
    const { plan: p } = plan({ numbers: [], answer: answer([{ to: 'a', id: 'OK-1' }, { to: 'b', status: 'INVALID_RECIPIENT' }]) });
    const outcome = await pipeline(store).run(p, context(audits));
    expect(outcome).toMatchObject({ kind: 'sent', accepted: true });
    expect(store.sends[0]?.messages.map((m) => [m.messageId, m.status, m.statusText])).toEqual([
      ['OK-1', 'queued', undefined],
      ['send-1:1', 'failed', 'The number is not valid. (INVALID_RECIPIENT)'],
    ]);
    expect(audits).toEqual([expect.objectContaining({ recipients: 1, messageIds: ['OK-1'] })]);
  });

  it('reports a send ClickSend refused for every recipient as not accepted, unaudited', async () => {
    const store = fakeStore();
    const audits: unknown[] = [];
    const refused = answer([{ to: 'a', status: 'INSUFFICIENT_CREDIT' }]);
    const { plan: p } = plan({
      numbers: [],
      send: async () => {
        throw new ClickSendMessagesFailedError({ operation: 'sms.send', result: refused, failed: [{ index: 0, to: 'a', status: 'INSUFFICIENT_CREDIT' }], total: 1 });
      },
    });
    expect(await pipeline(store).run(p, context(audits))).toMatchObject({ kind: 'sent', accepted: false });
    expect(audits).toEqual([]);
    expect(store.sends[0]?.messages[0]).toMatchObject({ status: 'failed' });
  });

  it('never sends again when ClickSend’s answer was lost: the unknown outcome reaches the caller, once', async () => {
    const store = fakeStore();
    let sends = 0;
    const { plan: p } = plan({
      send: async () => {
        sends += 1;
        throw new ClickSendTimeoutError({ operation: 'sms.send', phase: 'body' });
      },
    });
    const failure = await pipeline(store).run(p, context()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClickSendTimeoutError);
    expect((failure as ClickSendTimeoutError).outcome).toBe('unknown');
    expect(sends).toBe(1);
    expect(store.sends).toEqual([]);
  });

  it('still answers with the send when its record cannot be written (the money is spent)', async () => {
    const store = fakeStore();
    store.failRecord = true;
    const audits: unknown[] = [];
    const { plan: p } = plan();
    expect(await pipeline(store).run(p, context(audits))).toMatchObject({ kind: 'sent', accepted: true });
    expect(audits).toHaveLength(1);
  });

  it('audits and records what a batched send got through before it stopped, then says it stopped', async () => {
    const store = fakeStore();
    const audits: unknown[] = [];
    const through = answer([{ to: 'a', id: 'B1-1' }, { to: 'b', id: 'B1-2' }]);
    const { plan: p } = plan({
      numbers: [],
      send: async () => {
        throw new ClickSendPartialSendError({
          operation: 'sms.send',
          sent: through,
          unsentCount: 1_000,
          cause: new ClickSendTimeoutError({ operation: 'sms.send', phase: 'body' }),
        });
      },
    });
    const failure = await pipeline(store).run(p, context(audits)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClickSendPartialSendError);
    expect(audits).toEqual([expect.objectContaining({ recipients: 2, messageIds: ['B1-1', 'B1-2'] })]);
    expect(store.sends[0]?.messages.map((m) => m.messageId)).toEqual(['B1-1', 'B1-2']);
  });
});
