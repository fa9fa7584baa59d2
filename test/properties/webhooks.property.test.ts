import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { asForm, brokenInbound, brokenReceipt, validInboundWithAliases, validReceipt } from './pushes.js';
import { expectWebhookRefusal, startPropertyBridge, webhookPath, type PropertyBridge } from './harness.js';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const ROUTES = ['inbound', 'receipts'] as const;
const TIMEOUT_MS = 60_000;

let p: PropertyBridge;

beforeAll(async () => {
  p = await startPropertyBridge();
}, 30_000);

/**
 * Runs `send` and checks that whatever it was refused left no trace: no row, no Teams post, no
 * ClickSend call. With `mayBeValid`, a 200 is fine too: generated input may happen to be a valid push.
 */
const refusedWithoutTrace = async (
  send: () => Promise<{ status: number; body: unknown; text: string }>,
  statuses: readonly number[],
  mayBeValid = false,
) => {
  const before = p.rows();
  const answer = await send();
  if (mayBeValid && answer.status === 200) return answer;
  expectWebhookRefusal(answer, statuses);
  expect(p.rows()).toEqual(before);
  return answer;
};

const untouchedOutside = () => {
  expect(p.clicksendCalls().all).toEqual([]);
  expect(p.bridge.connector.attempts).toEqual([]);
};

describe('webhook routes under generated input', () => {
  it('answer any JSON value that is not a push with a 400 and its issues, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 6 }), async (route, value) => {
        await refusedWithoutTrace(() => p.post(webhookPath(route), JSON.stringify(value) ?? 'null', JSON_TYPE), [400], true);
      }),
      { numRuns: 250 },
    );
    untouchedOutside();
  }, TIMEOUT_MS);

  it('answer a push with one field broken with a 400 naming that field, as JSON or as a form', async () => {
    const cases = fc.oneof(
      brokenInbound.map((c) => ({ ...c, route: 'inbound' as const })),
      brokenReceipt.map((c) => ({ ...c, route: 'receipts' as const })),
    );
    await fc.assert(
      fc.asyncProperty(cases, fc.boolean(), async ({ push, field, route }, asJson) => {
        const value = push[field];
        // A form sends text only: a broken value that is not text would arrive as valid text ("42").
        if (!asJson && value !== undefined && typeof value !== 'string') return;
        const answer = await refusedWithoutTrace(
          () => p.post(webhookPath(route), asJson ? JSON.stringify(push) : asForm(push), asJson ? JSON_TYPE : FORM_TYPE),
          [400],
        );
        // The field itself, or (a value nested too deep for the JSON limits) a place inside it.
        const paths = (answer.body as { issues: { path: string }[] }).issues.map((i) => i.path);
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) expect(path === field || path.startsWith(`${field}.`), path).toBe(true);
      }),
      { numRuns: 300 },
    );
    untouchedOutside();
  }, TIMEOUT_MS);

  it('store each valid inbound push once, exactly as sent, and answer every valid push 200', async () => {
    const pushes = fc.oneof(
      validInboundWithAliases.map((push) => ({ push, route: 'inbound' as const })),
      validReceipt.map((push) => ({ push, route: 'receipts' as const })),
    );
    await fc.assert(
      fc.asyncProperty(pushes, fc.boolean(), async ({ push, route }, asJson) => {
        const before = p.rows();
        const answer = await p.post(webhookPath(route), asJson ? JSON.stringify(push) : asForm(push), asJson ? JSON_TYPE : FORM_TYPE);
        expect(answer.status, answer.text).toBe(200);
        expect(answer.body).toEqual({ ok: true });
        expect(p.rows().inbound - before.inbound).toBe(route === 'inbound' ? 1 : 0);
        if (route === 'inbound') {
          expect(p.inbound(String(push.message_id))).toEqual({
            from_number: push.from ?? push.sms,
            to_number: push.to ?? push.originalsenderid,
            body: push.body ?? push.message,
          });
        }
      }),
      { numRuns: 120 },
    );
    untouchedOutside();
  }, TIMEOUT_MS);

  it('answer arbitrary form bodies with 200 or a 400, storing nothing when refused', async () => {
    const formText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 10 }).map((pairs) => new URLSearchParams(pairs).toString()),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), formText, async (route, body) => {
        await refusedWithoutTrace(() => p.post(webhookPath(route), body, FORM_TYPE), [400], true);
      }),
      { numRuns: 200 },
    );
    untouchedOutside();
  }, TIMEOUT_MS);

  it('answer random bytes under any content type with a specific 4xx, storing nothing', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(JSON_TYPE, FORM_TYPE, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.uint8Array({ maxLength: 2_000 }), contentType, async (route, bytes, type) => {
        await refusedWithoutTrace(() => p.post(webhookPath(route), bytes, type), [400, 415]);
      }),
      { numRuns: 250 },
    );
    untouchedOutside();
  }, TIMEOUT_MS);
});
