import { describe, expect, it } from 'vitest';
import { orInto } from './page-map.ts';

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
