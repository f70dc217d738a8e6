import { describe, expect, it } from 'vitest';
import { ConsoleBatcher, FRAME_MS } from './console-batcher.ts';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array | null) => (b ? String.fromCharCode(...b) : null);

describe('ConsoleBatcher', () => {
  it('hands out nothing when nothing waits', () => {
    const b = new ConsoleBatcher();
    expect(b.take(0)).toBeNull();
    expect(b.take(0, true)).toBeNull();
    expect(b.msUntilDue(0)).toBe(Infinity);
  });

  it('joins pushes into one batch and copies the bytes it was given', () => {
    const b = new ConsoleBatcher();
    const src = bytes('ab');
    b.push(src);
    src[0] = 0x7a; // the caller reuses its array
    b.push(bytes('cd'));
    expect(b.pending).toBe(4);
    expect(text(b.take(100))).toBe('abcd');
    expect(b.pending).toBe(0);
  });

  it('sends at most one batch per interval unless forced', () => {
    const b = new ConsoleBatcher();
    b.push(bytes('1'));
    expect(text(b.take(1000))).toBe('1');
    b.push(bytes('2'));
    expect(b.msUntilDue(1005)).toBe(FRAME_MS - 5);
    expect(b.take(1005)).toBeNull();
    expect(text(b.take(1000 + FRAME_MS))).toBe('2');
    b.push(bytes('3'));
    expect(text(b.take(1000 + FRAME_MS + 1, true))).toBe('3');
    // A forced batch also starts a new interval.
    b.push(bytes('4'));
    expect(b.take(1000 + FRAME_MS + 2)).toBeNull();
  });

  it('grows past its first buffer without losing order', () => {
    const b = new ConsoleBatcher();
    const big = new Uint8Array(10_000).map((_, i) => i & 0xff);
    b.push(big.subarray(0, 3000));
    b.push(big.subarray(3000));
    const out = b.take(0)!;
    expect(out).toEqual(big);
    // The batch owns its buffer (it will be transferred).
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(big.length);
  });
});
