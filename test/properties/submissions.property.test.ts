import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeAction } from '../helpers/activities.js';
import { cardText } from '../helpers/bridge.js';
import { startPropertyBridge, type PropertyBridge } from './harness.js';
import { invalidSubmission, VALID } from './submissions.js';

let p: PropertyBridge;

beforeAll(async () => {
  p = await startPropertyBridge();
}, 30_000);

/** Whether the card shows a problem: an error card's title or the text under an input, both in the attention colour. */
const showsProblem = (card: unknown): boolean => {
  let found = false;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && record.color === 'attention' && typeof record.text === 'string' && record.text.trim() !== '') found = true;
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
};

describe('card submissions under generated invalid input', () => {
  it('answers every send and create with the form or an error card showing the problem, and sends nothing to ClickSend', async () => {
    const cases = fc.constantFrom(...Object.keys(VALID)).chain((verb) => invalidSubmission(verb).map((c) => ({ verb, ...c })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ verb, data, broken }) => {
        const writesBefore = p.clicksendCalls().writes.length;
        const activity = executeAction(p.bridge.connector.url, `card-${randomUUID()}`, verb, data);
        const answer = await p.post('/api/messages', JSON.stringify(activity), 'application/json');
        const what = `${verb} with ${broken.join(', ')} broken: ${answer.text.slice(0, 500)}`;
        expect(answer.status, what).toBe(200);
        const body = answer.body as { type: string; value: unknown };
        expect(body.type, what).toBe('application/vnd.microsoft.card.adaptive');
        expect(showsProblem(body.value), what).toBe(true);
        expect(cardText(body.value), what).not.toContain('Something went wrong');
        expect(p.clicksendCalls().writes.slice(writesBefore), what).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(p.clicksendCalls().writes).toEqual([]);
    expect(p.bridge.sandbox.state.messages).toEqual([]);
    expect(p.bridge.connector.attempts).toEqual([]);
  }, 90_000);
});
