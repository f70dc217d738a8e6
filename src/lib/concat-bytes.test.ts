import { describe, expect, it } from 'vitest';
import { concatBytes } from './concat-bytes.ts';

describe('concatBytes', () => {
  it('joins parts in order, returns a single part itself, and an empty array for none', () => {
    const a = new Uint8Array([1, 2]);
    expect(concatBytes([a, new Uint8Array(0), new Uint8Array([3])])).toEqual(new Uint8Array([1, 2, 3]));
    expect(concatBytes([a])).toBe(a);
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });
});
