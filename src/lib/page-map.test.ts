import { describe, expect, it } from 'vitest';
import { collectSet, countSet, countUnion, orInto } from './page-map.ts';

describe('orInto', () => {
  it('ORs every byte, aligned words and an unaligned tail alike', () => {
    const into = new Uint8Array(11);
    const from = new Uint8Array(11);
    into[0] = 1;
    from[1] = 1;
    from[5] = 2;
    from[10] = 1;
    orInto(into, from);
    expect([...into]).toEqual([1, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
  });

  it('handles maps that are not 4-aligned', () => {
    const buf = new Uint8Array(9);
    const into = buf.subarray(1, 6);
    const from = Uint8Array.of(0, 3, 0, 0, 1);
    orInto(into, from);
    expect([...into]).toEqual([0, 3, 0, 0, 1]);
  });
});

describe('countSet, collectSet, countUnion', () => {
  const map = (n: number, set: number[]) => {
    const m = new Uint8Array(n);
    for (const i of set) m[i] = 1;
    return m;
  };

  it('find the same pages as a byte-by-byte scan, aligned or not, from any start, up to a maximum', () => {
    for (const offset of [0, 1]) {
      const buf = new Uint8Array(40);
      const m = buf.subarray(offset, offset + 37);
      for (const i of [0, 3, 4, 17, 31, 36]) m[i] = 1;
      expect(countSet(m)).toBe(6);
      const all: number[] = [];
      expect(collectSet(m, all)).toBe(37);
      expect(all).toEqual([0, 3, 4, 17, 31, 36]);
      const some: number[] = [];
      const next = collectSet(m, some, 2, 2);
      expect(some).toEqual([3, 4]);
      expect(next).toBe(5);
      const rest: number[] = [];
      collectSet(m, rest, next);
      expect(rest).toEqual([17, 31, 36]);
    }
  });

  it('countUnion counts pages set in a, or in b from `from` on', () => {
    const a = map(12, [1, 9]);
    const b = map(12, [1, 2, 6, 11]);
    expect(countUnion(a, b, 0)).toBe(5); // 1, 2, 6, 9, 11
    expect(countUnion(a, b, 7)).toBe(3); // 1, 9, 11
  });
});
