import fc from 'fast-check';

/** Generators of ClickSend pushes: valid ones, and valid ones with exactly one field broken. */

type Push = Record<string, unknown>;

const e164 = fc.stringMatching(/^\+[1-9]\d{6,14}$/);
const messageId = fc.uuid();
// A grapheme is up to a few dozen UTF-16 units, and the limits count units.
const text = (max: number) => fc.string({ maxLength: Math.min(Math.floor(max / 20), 300), unit: 'grapheme' });

export const validInbound: fc.Arbitrary<Push> = fc.record(
  {
    message_id: messageId,
    from: e164,
    to: e164,
    body: text(5_000),
    timestamp: fc.integer({ min: 0, max: 4_102_444_800 }),
    original_message_id: messageId,
    original_body: text(5_000),
    custom_string: fc.string({ maxLength: 50 }),
  },
  { requiredKeys: ['message_id', 'from', 'to', 'body'] },
);

export const validReceipt: fc.Arbitrary<Push> = fc.record(
  {
    message_id: messageId,
    status_code: fc.constantFrom(200, 201, 300, 301),
    status_text: text(1_000),
    error_text: text(1_000),
  },
  { requiredKeys: ['message_id', 'status_code'] },
);

/** Canonical field -> the older name ClickSend may send it under instead. */
const INBOUND_ALIASES: Readonly<Record<string, string>> = {
  from: 'sms',
  to: 'originalsenderid',
  body: 'message',
  original_message_id: 'originalmessageid',
  original_body: 'originalmessage',
  custom_string: 'customstring',
};

/** A valid inbound push with some fields under their older names, as older ClickSend webhooks send them. */
export const validInboundWithAliases: fc.Arbitrary<Push> = fc.tuple(validInbound, fc.subarray(Object.keys(INBOUND_ALIASES))).map(([push, renamed]) =>
  Object.fromEntries(Object.entries(push).map(([key, value]) => [renamed.includes(key) ? INBOUND_ALIASES[key]! : key, value])),
);

/** Values no field of a push takes: the wrong JSON type. */
const wrongType = fc.oneof(fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));

/** Field -> values it refuses; `undefined` means the field is left out (required fields only). */
const INBOUND_BREAKERS: Record<string, fc.Arbitrary<unknown>> = {
  message_id: fc.oneof(
    wrongType,
    fc.constant(undefined),
    fc.constant(' '),
    fc.string({ minLength: 101, maxLength: 150, unit: fc.constantFrom('A', '1') }),
    fc.constant('has space'),
    fc.constant('ünïcode'),
    fc.integer(),
  ),
  from: fc.oneof(wrongType, fc.constant(undefined), fc.stringMatching(/^0\d{9}$/), fc.stringMatching(/^[A-Za-z]{1,11}$/), fc.constant('+0123456789')),
  to: fc.oneof(wrongType, fc.constant(undefined), fc.stringMatching(/^\+\d{1,5}$/), fc.stringMatching(/^\+[1-9]\d{15,20}$/)),
  body: fc.oneof(wrongType, fc.constant(undefined), fc.integer(), fc.constant('x'.repeat(5_001))),
  timestamp: fc.oneof(wrongType, fc.constant('yesterday'), fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 0.9 }), fc.constant(1e20)),
};

const RECEIPT_BREAKERS: Record<string, fc.Arbitrary<unknown>> = {
  message_id: INBOUND_BREAKERS.message_id!,
  status_code: fc.oneof(
    wrongType,
    fc.constant(undefined),
    fc.integer({ min: 0, max: 999 }).filter((n) => ![200, 201, 300, 301].includes(n)),
    fc.constant('two hundred'),
    fc.constant(200.5),
  ),
  status_text: fc.oneof(wrongType, fc.integer(), fc.constant('s'.repeat(1_001))),
};

/** A valid push with one field broken; the field's canonical name is what the 400 must name. */
const broken = (valid: fc.Arbitrary<Push>, breakers: Record<string, fc.Arbitrary<unknown>>) =>
  fc.constantFrom(...Object.keys(breakers)).chain((field) =>
    fc.tuple(valid, breakers[field]!).map(([push, value]) => {
      const copy: Push = { ...push };
      if (value === undefined) delete copy[field];
      else copy[field] = value;
      return { push: copy, field };
    }),
  );

export const brokenInbound = broken(validInbound, INBOUND_BREAKERS);
export const brokenReceipt = broken(validReceipt, RECEIPT_BREAKERS);

/** A push as ClickSend's form-encoded webhooks send it (every value a string). */
export const asForm = (push: Push): string =>
  new URLSearchParams(Object.entries(push).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
