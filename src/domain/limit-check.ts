import { z } from 'zod';
import { MessageLimitError } from '../errors.js';

/**
 * Each message limit is written once, as a check that returns the problem or nothing; the
 * throwing `verifyX`, the boolean `isValidX` and the form schema are derived from it, so the
 * three can never disagree.
 */
export type LimitCheck = (text: string) => MessageLimitError | undefined;

const count = new Intl.NumberFormat('en-US');

/** 1300 -> "1,300": limits are read by people in Teams, not by programs. */
export const formatCount = (n: number): string => count.format(n);

export const limitProblem = (field: string, limit: number, actual: number, message: string): MessageLimitError =>
  new MessageLimitError({ field, limit, actual, message });

export const verifier =
  (check: LimitCheck) =>
  (text: string): void => {
    const problem = check(text);
    if (problem) throw problem;
  };

export const validator =
  (check: LimitCheck) =>
  (text: string): boolean =>
    check(text) === undefined;

/** A string schema reporting the same sentence as the thrown error, for card and form input. */
export const limitSchema = (check: LimitCheck) =>
  z.string().superRefine((text, ctx) => {
    const problem = check(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { field: problem.field } });
  });
