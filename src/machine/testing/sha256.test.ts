import { it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { sha256Hex } from './sha256.ts';
it('sha256Hex matches node:crypto at block-boundary lengths', () => { for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 100000]) { const b = Uint8Array.from({length:n}, (_, i) => (i*31+7)&255); expect(sha256Hex(b)).toBe(createHash('sha256').update(b).digest('hex')); } });
