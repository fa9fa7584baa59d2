import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { botAdded, executeAction, submitAction, textMessage, type Scope } from '../helpers/activities.js';
import { startPropertyBridge, type PropertyBridge } from './harness.js';

const JSON_TYPE = 'application/json';

let p: PropertyBridge;

beforeAll(async () => {
  p = await startPropertyBridge();
}, 30_000);

const TIMEOUT_MS = 60_000;

type Json = Record<string, unknown>;

/** Activities Teams really sends, none of which costs a ClickSend call. */
const realActivity = (serviceUrl: string): fc.Arbitrary<Json> =>
  fc.constantFrom<Scope>('personal', 'channel', 'groupChat').chain((scope) =>
    fc.constantFrom<Json>(
      textMessage(serviceUrl, 'help', scope),
      textMessage(serviceUrl, 'no such command', scope),
      executeAction(serviceUrl, 'card-1', 'help.show', {}, scope),
      executeAction(serviceUrl, 'card-1', 'form.open', { form: 'sms' }, scope),
      submitAction(serviceUrl, 'card-1', { verb: 'help.show' }, scope),
      botAdded(serviceUrl, scope),
    ),
  );

/** Every path to a value inside `value`, up to `depth` keys deep. */
const pathsOf = (value: unknown, depth: number, prefix: string[] = []): string[][] => {
  if (depth === 0 || value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, depth - 1, [...prefix, key])]);
};

/** A copy of `value` with the value at `path` removed (`undefined`) or replaced. */
const setAt = (value: Json, path: readonly string[], replacement: unknown): Json => {
  const copy = structuredClone(value);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  if (replacement === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = replacement;
  return copy;
};

/** A real activity with one value (at any depth up to 4) removed or replaced by arbitrary JSON. */
const nearValid = (serviceUrl: string) =>
  realActivity(serviceUrl).chain((activity) =>
    fc.constantFrom(...pathsOf(activity, 4)).chain((path) =>
      // Any other http URL would make the bot post to a host that is not there; other values are fair game.
      fc
        .oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }))
        .filter((v) => !(path.at(-1) === 'serviceUrl' && typeof v === 'string' && /^https?:/i.test(v)))
        .map((replacement) => ({ activity: setAt(activity, path, replacement), path: path.join('.') })),
    ),
  );

/** Objects with the keys of an activity, each holding anything. */
const activityShaped = fc.record(
  {
    type: fc.oneof(fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'event', 'typing'), fc.jsonValue()),
    id: fc.jsonValue(),
    channelId: fc.oneof(fc.constant('msteams'), fc.jsonValue()),
    from: fc.jsonValue({ maxDepth: 2 }),
    recipient: fc.jsonValue({ maxDepth: 2 }),
    conversation: fc.jsonValue({ maxDepth: 2 }),
    channelData: fc.jsonValue({ maxDepth: 3 }),
    text: fc.jsonValue(),
    value: fc.jsonValue({ maxDepth: 3 }),
    name: fc.oneof(fc.constant('adaptiveCard/action'), fc.jsonValue()),
    timestamp: fc.jsonValue(),
    entities: fc.jsonValue({ maxDepth: 3 }),
    attachments: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

/**
 * No 5xx, except botbuilder's protocol answer 501 to an invoke whose `name` the bot does not
 * implement (Teams expects exactly that).
 */
const expectNoServerError = (answer: { status: number; text: string }, activity: Json, path = '', logsBefore = 0) => {
  const unknownInvoke = activity.type === 'invoke' && activity.name !== 'adaptiveCard/action';
  const allowed = answer.status < 500 || (answer.status === 501 && unknownInvoke);
  expect(allowed, `${answer.status} ${answer.text} for ${path} ${JSON.stringify(activity).slice(0, 2_000)}`).toBe(true);
  expect(answer.status).toBeGreaterThanOrEqual(200);
  // A turn that threw past the bot's own error cards is a crash, whatever status botbuilder chose.
  expect(p.bridge.logs().slice(logsBefore), `${path} ${JSON.stringify(activity).slice(0, 2_000)}`).not.toContain('unhandled turn error');
};

describe('POST /api/messages under generated activities', () => {
  it('answers JSON that is not an activity object with a 400', async () => {
    const notAnActivity = fc.jsonValue({ maxDepth: 4 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('type' in v));
    await fc.assert(
      fc.asyncProperty(notAnActivity, async (value) => {
        const answer = await p.post('/api/messages', JSON.stringify(value) ?? 'null', JSON_TYPE);
        expect(answer.status, answer.text).toBe(400);
      }),
      { numRuns: 150 },
    );
    expect(p.clicksendCalls().all).toEqual([]);
  }, TIMEOUT_MS);

  it('never answers a 5xx to an object with activity keys holding anything', async () => {
    await fc.assert(
      fc.asyncProperty(activityShaped, fc.boolean(), async (shape, withServiceUrl) => {
        const activity = withServiceUrl ? { ...shape, serviceUrl: p.bridge.connector.url } : shape;
        const logsBefore = p.bridge.logs().length;
        expectNoServerError(await p.post('/api/messages', JSON.stringify(activity), JSON_TYPE), activity, '', logsBefore);
      }),
      { numRuns: 200 },
    );
    expect(p.clicksendCalls().all).toEqual([]);
  }, TIMEOUT_MS);

  it('never answers a 5xx to a real activity with one value removed or replaced', async () => {
    await fc.assert(
      fc.asyncProperty(nearValid(p.bridge.connector.url), async ({ activity, path }) => {
        const logsBefore = p.bridge.logs().length;
        expectNoServerError(await p.post('/api/messages', JSON.stringify(activity), JSON_TYPE), activity, path, logsBefore);
      }),
      { numRuns: 80 },
    );
    // Opening the SMS form reads the contact lists; nothing may be sent, created or changed.
    expect(p.clicksendCalls().writes).toEqual([]);
  }, TIMEOUT_MS);
});
