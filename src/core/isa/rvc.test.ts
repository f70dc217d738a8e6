import { describe, expect, it } from 'vitest';
import { compressedTable, expandCompressed, ILLEGAL_EXPANSION } from './rvc.ts';

describe('RVC expansion', () => {
  it('expands representative encodings to their 32-bit equivalents', () => {
    expect(expandCompressed(0x4501)).toBe(0x00000513); // c.li a0, 0 -> addi a0, x0, 0
    expect(expandCompressed(0x8082)).toBe(0x00008067); // c.jr ra -> jalr x0, 0(ra)
    expect(expandCompressed(0x9002)).toBe(0x00100073); // c.ebreak
    expect(expandCompressed(0x6108)).toBe(0x00053503); // c.ld a0, 0(a0) -> ld a0, 0(a0)
  });

  it('maps illegal encodings to a reserved major opcode (regression: 0x0000 ran as LB)', () => {
    const t = compressedTable();
    expect(t[0x0000]).toBe(ILLEGAL_EXPANSION); // c.addi4spn with nzuimm = 0
    expect((t[0x0000]! >>> 2) & 31).toBe(31); // opcode 0x7f: no instruction
    expect(t[0x8000 | 0x0000 | 0]).toBe(ILLEGAL_EXPANSION); // quadrant 0, funct3 100: reserved
    expect(t[0x4002]).toBe(ILLEGAL_EXPANSION); // c.lwsp with rd = 0
  });
});
