import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaneHash } from './lane-hash.ts';
import { WideHash } from './wide-hash.ts';
import { wideHashKernel, wideHashKernelBytes } from './wide-hash-kernel.ts';
import { WordHash } from './word-hash.ts';

const K = 0x9e3779b1;
const mix = (h: number, w: number) => {
  h = Math.imul(h ^ w, K);
  return h ^ (h >>> 15);
};

/**
 * A lane hash as versions 3 and 4 specify it, one word at a time (the classes fold many at
 * once): word i goes to lane i mod lanes, and the digest folds the lanes from `foldSeed`, then
 * the unfinished last word and the length.
 */
function laneHashSpec(bytes: Uint8Array, laneSeeds: readonly number[], foldSeed: number): number {
  const lanes = [...laneSeeds];
  const n = lanes.length;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const whole = bytes.length >>> 2;
  for (let i = 0; i < whole; i++) lanes[i % n] = mix(lanes[i % n]!, v.getInt32(i * 4, true));
  let h = lanes.reduce(mix, foldSeed);
  if (bytes.length % 4 !== 0) {
    let last = 0;
    for (let k = whole * 4; k < bytes.length; k++) last |= bytes[k]! << (8 * (k - whole * 4));
    h = mix(h, last);
  }
  h = mix(h, bytes.length);
  h = mix(h, 0);
  return h >>> 0;
}

/** Version 3: four lanes seeded "tab3", "lan1", "lan2", "lan3". */
const laneHashReference = (bytes: Uint8Array) => laneHashSpec(bytes, [0x74616233, 0x6c616e31, 0x6c616e32, 0x6c616e33], 0x74616233);
/** Version 4: sixteen lanes seeded mix("tab4", j). */
const wideHashReference = (bytes: Uint8Array) => laneHashSpec(bytes, Array.from({ length: 16 }, (_, j) => mix(0x74616234, j)), 0x74616234);

describe.each([
  ['WordHash (integrity version 2)', () => new WordHash()],
  ['LaneHash (integrity version 3)', () => new LaneHash()],
  ['WideHash (integrity version 4), WebAssembly SIMD', () => new WideHash()],
  ['WideHash (integrity version 4), JavaScript', () => new WideHash(false)],
])('%s', (_name, make) => {
  function digest(parts: readonly Uint8Array[]): number {
    const h = make();
    for (const p of parts) h.update(p);
    return h.digest();
  }

  it('does not depend on how the stream is cut into chunks, nor on their alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600, size: 'max' }), fc.array(fc.nat(600), { maxLength: 6 }), fc.nat(3), (bytes, cuts, shift) => {
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
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400, size: 'max' }), fc.nat(), fc.integer({ min: 1, max: 0xffffffff }), (bytes, pos, flip) => {
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

describe('LaneHash', () => {
  it('is the specified four-lane fold (the four-at-a-time loop, lead-in and tail agree with one word at a time)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        const h = new LaneHash();
        h.update(bytes);
        expect(h.digest()).toBe(laneHashReference(bytes));
      }),
    );
  });

  it('changes when two words of one lane swap places', () => {
    const a = Uint8Array.from({ length: 64 }, (_, i) => i);
    const b = a.slice();
    b.set(a.subarray(0, 4), 16);
    b.set(a.subarray(16, 20), 0);
    const d = (x: Uint8Array) => {
      const h = new LaneHash();
      h.update(x);
      return h.digest();
    };
    expect(d(b)).not.toBe(d(a));
  });
});

describe('WideHash', () => {
  it('runs its bulk loop in WebAssembly SIMD here (Node 20 has it; the browsers tabvm targets too)', () => {
    expect(WebAssembly.validate(wideHashKernelBytes())).toBe(true);
    expect(wideHashKernel()).toBeDefined();
  });

  it.each([
    ['WebAssembly SIMD', true],
    ['JavaScript', false],
  ])('with %s, is the specified sixteen-lane fold (lead-in, blocks and tail agree with one word at a time)', (_name, kernel) => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 700, size: 'max' }), fc.nat(3), (bytes, shift) => {
        const host = new Uint8Array(bytes.length + shift);
        host.set(bytes, shift);
        const h = new WideHash(kernel);
        h.update(host.subarray(shift));
        expect(h.digest()).toBe(wideHashReference(bytes));
      }),
    );
  });

  it('gives the same digest with and without the kernel over more than the kernel takes at once (1 MiB)', () => {
    const bytes = Uint8Array.from({ length: (1 << 20) * 2 + 4100 }, (_, i) => (i * 2654435761) >>> 24);
    const a = new WideHash(true);
    const b = new WideHash(false);
    a.update(bytes.subarray(3));
    b.update(bytes.subarray(3));
    expect(a.digest()).toBe(b.digest());
    expect(a.digest()).toBe(wideHashReference(bytes.subarray(3)));
  });

  it('changes when two words of one lane swap places', () => {
    const a = Uint8Array.from({ length: 256 }, (_, i) => i);
    const b = a.slice();
    b.set(a.subarray(0, 4), 64);
    b.set(a.subarray(64, 68), 0);
    const d = (x: Uint8Array) => {
      const h = new WideHash();
      h.update(x);
      return h.digest();
    };
    expect(d(b)).not.toBe(d(a));
  });
});
