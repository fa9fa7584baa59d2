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

  it('takes any number of stops after the word, and is not fooled by a long run of them before other text', () => {
    expect(optIntentOf('STOP!!!...!')).toBe('opt-out');
    expect(optIntentOf(`START${'!'.repeat(10_000)}`)).toBe('opt-in');
    // The regex this replaced tried every place in the run (quadratic); this is read once.
    expect(optIntentOf(`${'!'.repeat(100_000)}x`)).toBeUndefined();
  });
});
