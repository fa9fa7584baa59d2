/**
 * The keywords carriers and customers use to stop and restart texts. They count only alone
 * (a customer writing "Please don't stop the delivery" is not opting out); case, spaces and
 * trailing punctuation do not matter.
 */
export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const OPT_IN_WORDS = ['START', 'UNSTOP'] as const;

export type OptIntent = 'opt-out' | 'opt-in';

export const optIntentOf = (body: string): OptIntent | undefined => {
  const word = body.trim().replace(/[.!]+$/, '').trim().toUpperCase();
  if ((OPT_OUT_WORDS as readonly string[]).includes(word)) return 'opt-out';
  if ((OPT_IN_WORDS as readonly string[]).includes(word)) return 'opt-in';
  return undefined;
};
