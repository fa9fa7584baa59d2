import { describe, expect, it } from 'vitest';
import { compiled, compiledAnswer } from '../../src/clicksend/compiled.js';
import { SmsMessageSchema, SmsSentSchema } from '../../src/clicksend/sms.js';
import { sendResultOf } from '../../src/clicksend/messages.js';
import { EnvelopeSchema } from '../../src/clicksend/schemas.js';

const SendResult = sendResultOf(SmsSentSchema);
const answer = (data: unknown) => ({ http_code: 200, response_code: 'SUCCESS', response_msg: 'Messages queued for delivery.', data });
const sent = {
  message_id: 'A1',
  to: '+61411111111',
  status: 'SUCCESS',
  message_price: '0.0770',
  date: '1775012927',
  user_id: 304497,
  custom_string: null,
  is_shared_system_number: false,
};

describe('compiled schemas', () => {
  it('compiles each schema once and hands back the same one after', () => {
    expect(compiled(SmsMessageSchema)).toBe(compiled(SmsMessageSchema));
    expect(compiledAnswer(SendResult)).toBe(compiledAnswer(SendResult));
  });

  it('reads an answer exactly as the interpreted envelope and data schemas do, coercions and unknown keys included', () => {
    const json = answer({ total_price: '0.0770', total_count: 1, queued_count: '1', messages: [sent], extra: { kept: true } });
    const parsed = compiledAnswer(SendResult).parse(json);
    expect(parsed.data).toEqual(SendResult.parse(EnvelopeSchema.parse(json).data));
    expect(parsed.data.messages[0]).toMatchObject({ message_price: 0.077, date: 1775012927, user_id: '304497', custom_string: null, is_shared_system_number: false });
    expect(parsed.data).toMatchObject({ total_price: 0.077, queued_count: 1, extra: { kept: true } });
  });

  it('refuses a bad envelope and bad data in the same pass, with the issues the interpreted schemas give', () => {
    const bad = { http_code: 'x', data: { total_count: 1, messages: [{ ...sent, status: 7 }] } };
    const result = compiledAnswer(SendResult).safeParse(bad);
    expect(result.success).toBe(false);
    const interpreted = EnvelopeSchema.extend({ data: SendResult }).safeParse(bad);
    expect(result.error?.issues).toEqual(interpreted.error?.issues);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['http_code', 'response_code', 'data.messages.0.status']);
  });

  it('refuses a bad request with the same issues as the interpreted schema', () => {
    const bad = { to: '0411', body: 'x'.repeat(1225), list_id: 3 };
    const issues = compiled(SmsMessageSchema).safeParse(bad).error?.issues;
    expect(issues?.map((i) => i.path.join('.'))).toEqual(['to', 'body', 'to']);
    expect(issues).toEqual(SmsMessageSchema.safeParse(bad).error?.issues);
  });
});
