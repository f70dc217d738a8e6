import { describe, expect, it } from 'vitest';
import { PromptDetector } from './prompt-detector.ts';

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('PromptDetector', () => {
  it('finds the prompt once, also split over batches', () => {
    const d = new PromptDetector();
    expect(d.feed(b('Run /init as init process\r\n~'))).toBe(false);
    expect(d.feed(b(' '))).toBe(false);
    expect(d.feed(b('# '))).toBe(true);
    expect(d.seen).toBe(true);
    expect(d.feed(b('~ # '))).toBe(false);
  });

  it('does not fire on a near miss, and fires again after reset', () => {
    const d = new PromptDetector();
    expect(d.feed(b('~ #x ~  # '))).toBe(false);
    expect(d.feed(b('\r\n~ # '))).toBe(true);
    d.reset();
    expect(d.seen).toBe(false);
    expect(d.feed(b('~ # '))).toBe(true);
  });
});
