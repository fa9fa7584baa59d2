import { z } from 'zod';
import { EnvelopeSchema } from './schemas.js';

/**
 * Every schema on a call's path runs as zod's compiled form (`z.compile`: the same results and
 * the same issues as the interpreted parser, at a fraction of its CPU), built once per schema on
 * first use. Schemas handed in here must be constants (module or client level), never built
 * per call: compiling costs far more than one parse.
 */

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();
const answerSchemas = new WeakMap<z.ZodType, z.ZodType>();

export const compiled = <S extends z.ZodType>(schema: S): S => {
  let fast = compiledSchemas.get(schema);
  if (fast === undefined) compiledSchemas.set(schema, (fast = z.compile(schema)));
  return fast as S;
};

/** ClickSend's envelope with `data` checked by `data`, in one pass over the answer. */
export const compiledAnswer = <S extends z.ZodType>(data: S) => {
  let fast = answerSchemas.get(data);
  if (fast === undefined) answerSchemas.set(data, (fast = z.compile(EnvelopeSchema.extend({ data }))));
  return fast as z.ZodType<{ data: z.output<S> }>;
};
