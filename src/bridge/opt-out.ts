/**
 * The keywords carriers and customers use to stop and restart texts. They count only alone
 * (a customer writing "Please don't stop the delivery" is not opting out); case, spaces and
 * trailing punctuation do not matter.
 */
export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const OPT_IN_WORDS = ['START', 'UNSTOP'] as const;

export type OptIntent = 'opt-out' | 'opt-in';

/** `text` without its trailing `.` and `!`, in one pass (the regex `/[.!]+$/` is quadratic on `!!!…x`). */
const withoutTrailingStops = (text: string): string => {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === '!')) end -= 1;
  return text.slice(0, end);
};

export const optIntentOf = (body: string): OptIntent | undefined => {
  const word = withoutTrailingStops(body.trim()).trim().toUpperCase();
  if ((OPT_OUT_WORDS as readonly string[]).includes(word)) return 'opt-out';
  if ((OPT_IN_WORDS as readonly string[]).includes(word)) return 'opt-in';
  return undefined;
};
