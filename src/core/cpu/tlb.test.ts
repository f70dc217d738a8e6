import { describe, expect, it } from 'vitest';
import { TLB_INDEX } from './interpreter.ts';
import { Tlb, TLB_MASK, TLB_SIZE } from './tlb.ts';

describe('TLB', () => {
  it('the interpreter indexes it with the same mask', () => {
    expect(TLB_INDEX).toBe(TLB_MASK);
  });

  it('flush invalidates every filled entry, few or many', () => {
    for (const n of [3, TLB_SIZE]) {
      const t = new Tlb();
      for (let i = 0; i < n; i++) t.insert(i << 12, 0, i << 12);
      t.flush();
      for (let i = 0; i < n; i++) expect(t.tagLo[i]).not.toBe(i << 12);
      t.insert(5 << 12, -1, 0);
      expect(t.tagLo[5]).toBe(5 << 12);
      expect(t.tagHi[5]).toBe(-1);
      t.flush();
      expect(t.tagLo[5]).not.toBe(5 << 12);
    }
  });
});
