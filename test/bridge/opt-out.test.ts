import { describe, expect, it } from 'vitest';
import { optIntentOf } from '../../src/bridge/opt-out.js';

describe('optIntentOf', () => {
  it('reads every opt-out keyword alone, in any case, with spaces and a full stop', () => {
    for (const word of ['STOP', 'stop', ' Stop ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'STOP.', 'stop!']) {
      expect(optIntentOf(word)).toBe('opt-out');
    }
  });

  it('reads START and UNSTOP as opting back in', () => {
    expect(optIntentOf('start')).toBe('opt-in');
    expect(optIntentOf('UNSTOP')).toBe('opt-in');
  });

  it('ignores the keywords inside a sentence', () => {
    for (const text of ["Please don't stop the delivery", 'STOP IT', 'end of day is fine', 'started', '']) {
      expect(optIntentOf(text)).toBeUndefined();
    }
  });
});
