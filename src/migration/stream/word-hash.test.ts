import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WordHash } from './word-hash.ts';

function digest(parts: readonly Uint8Array[]): number {
  const h = new WordHash();
  for (const p of parts) h.update(p);
  return h.digest();
}

describe('WordHash (integrity version 2)', () => {
  it('does not depend on how the stream is cut into chunks, nor on their alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 6 }), fc.nat(3), (bytes, cuts, shift) => {
        // The same bytes at an odd offset of a larger buffer, cut at arbitrary points.
        const host = new Uint8Array(bytes.length + shift);
        host.set(bytes, shift);
        const view = host.subarray(shift);
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const parts: Uint8Array[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          parts.push(view.subarray(at, p));
          at = p;
        }
        expect(digest(parts)).toBe(digest([bytes]));
      }),
    );
  });

  it('changes whenever one 32-bit word changes (any bits of it)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 0xffffffff }), (bytes, pos, flip) => {
        const word = pos % Math.ceil(bytes.length / 4);
        const b = bytes.slice();
        for (let k = 0; k < 4 && word * 4 + k < b.length; k++) b[word * 4 + k]! ^= (flip >>> (8 * k)) & 0xff;
        fc.pre(b.some((x, i) => x !== bytes[i]));
        expect(digest([b])).not.toBe(digest([bytes]));
      }),
    );
  });

  it('changes with the length, even when only zero bytes are appended', () => {
    const a = new Uint8Array(10);
    expect(digest([a])).not.toBe(digest([a.subarray(0, 9)]));
    expect(digest([new Uint8Array(8)])).not.toBe(digest([new Uint8Array(12)]));
  });

  it('catches two flips of the top bit in different words (the multiply alone would let them cancel)', () => {
    const a = new Uint8Array(64).fill(7);
    const b = a.slice();
    b[3]! ^= 0x80;
    b[7]! ^= 0x80;
    expect(digest([b])).not.toBe(digest([a]));
  });
});
