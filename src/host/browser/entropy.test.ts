import { describe, expect, it } from 'vitest';
import { cryptoEntropy, GET_RANDOM_VALUES_MAX, randomHex } from './entropy.ts';

describe('cryptoEntropy', () => {
  it('fills requests larger than getRandomValues allows, in pieces', () => {
    const calls: number[] = [];
    const fake = {
      getRandomValues<T extends ArrayBufferView | null>(a: T): T {
        const u = a as unknown as Uint8Array;
        if (u.length > GET_RANDOM_VALUES_MAX) throw new Error('QuotaExceededError');
        calls.push(u.length);
        u.fill(0xa5);
        return a;
      },
    };
    const dst = new Uint8Array(GET_RANDOM_VALUES_MAX * 2 + 10);
    cryptoEntropy(fake).fill(dst);
    expect(calls).toEqual([GET_RANDOM_VALUES_MAX, GET_RANDOM_VALUES_MAX, 10]);
    expect(dst.every((v) => v === 0xa5)).toBe(true);
  });

  it('gives different bytes each time from the real CSPRNG', () => {
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    cryptoEntropy().fill(a);
    cryptoEntropy().fill(b);
    expect(a).not.toEqual(b);
  });

  it('formats a random seed as lowercase hex', () => {
    expect(randomHex(32)).toMatch(/^[0-9a-f]{64}$/);
  });
});
