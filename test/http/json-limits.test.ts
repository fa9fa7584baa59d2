import { describe, expect, it } from 'vitest';
import { ACTIVITY_JSON_LIMITS, findJsonLimitViolation, WEBHOOK_JSON_LIMITS } from '../../src/http/json-limits.js';

const limits = { maxDepth: 3, maxStringLength: 5 };

/** `[[[...]]]` nested `depth` levels, built without recursion. */
const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
};

describe('JSON limits', () => {
  it('passes values within the limits, scalars and empty containers included', () => {
    for (const value of [null, 1, 'abcde', true, {}, [], { a: { b: ['abcde'] } }, nested(3)]) {
      expect(findJsonLimitViolation(value, limits)).toBeUndefined();
    }
  });

  it('names the path where the nesting passes the limit', () => {
    expect(findJsonLimitViolation({ a: { b: { c: {} } } }, limits)).toEqual({
      code: 'ERR_JSON_TOO_DEEP',
      path: 'a.b.c',
      message: 'the JSON is nested deeper than 3 levels',
    });
    expect(findJsonLimitViolation(nested(4), limits)).toMatchObject({ code: 'ERR_JSON_TOO_DEEP', path: '0.0.0' });
  });

  it('walks a body nested 100,000 levels deep without exhausting the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(findJsonLimitViolation(deep, ACTIVITY_JSON_LIMITS)?.code).toBe('ERR_JSON_TOO_DEEP');
  });

  it('refuses a long string value or key, naming where it is', () => {
    expect(findJsonLimitViolation({ list: ['ok', 'abcdef'] }, limits)).toMatchObject({ code: 'ERR_JSON_STRING_TOO_LONG', path: 'list.1' });
    expect(findJsonLimitViolation({ inner: { abcdef: 1 } }, limits)).toMatchObject({ code: 'ERR_JSON_STRING_TOO_LONG', path: 'inner' });
  });

  it('keeps the webhook limits tighter than the activity limits', () => {
    expect(WEBHOOK_JSON_LIMITS.maxDepth).toBeLessThan(ACTIVITY_JSON_LIMITS.maxDepth);
    expect(WEBHOOK_JSON_LIMITS.maxStringLength).toBeLessThan(ACTIVITY_JSON_LIMITS.maxStringLength);
  });
});
