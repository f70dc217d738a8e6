import { describe, expect, it } from 'vitest';
import { decodeCsr, hex64, INSPECTED_CSRS } from './csr-decode.ts';

const fields = (name: string, v: bigint) => Object.fromEntries(decodeCsr(name, v).fields.map((f) => [f.name, f.meaning ? `${f.value} ${f.meaning}` : f.value]));

describe('CSR decoding', () => {
  it('decodes mstatus into its spec fields, including the ones above bit 31', () => {
    // MPP = S, SPP = S, MPIE, SIE, FS = Dirty, SUM, UXL = SXL = 64, SD.
    const v = (1n << 63n) | (2n << 34n) | (2n << 32n) | (1n << 18n) | (3n << 13n) | (1n << 11n) | (1n << 8n) | (1n << 7n) | (1n << 1n);
    const f = fields('mstatus', v);
    expect(f).toMatchObject({ SIE: '1', MIE: '0', MPIE: '1', SPP: '1 S', MPP: '1 S', FS: '3 Dirty', SUM: '1', MXR: '0', UXL: '2 64', SXL: '2 64', SD: '1' });
    expect(decodeCsr('mstatus', v).hex).toBe('8000000a00046982');
  });

  it('shows only the supervisor fields in sstatus', () => {
    const names = decodeCsr('sstatus', 0n).fields.map((f) => f.name);
    expect(names).toEqual(['SIE', 'SPIE', 'UBE', 'SPP', 'VS', 'FS', 'XS', 'SUM', 'MXR', 'UXL', 'SD']);
  });

  it('decodes causes with the interrupt bit and the spec name of the code', () => {
    expect(fields('scause', 13n)).toEqual({ Interrupt: '0', Code: '13 load page fault' });
    expect(fields('mcause', (1n << 63n) | 7n)).toEqual({ Interrupt: '1', Code: '7 machine timer interrupt' });
    expect(fields('mcause', 24n)).toEqual({ Interrupt: '0', Code: '24' });
  });

  it('decodes satp MODE, ASID and PPN for RV64', () => {
    const v = (8n << 60n) | (0x1234n << 44n) | 0x80abcn;
    expect(fields('satp', v)).toEqual({ MODE: '8 Sv39', ASID: '0x1234', PPN: '0x80abc' });
    expect(fields('satp', 0n).MODE).toBe('0 Bare');
  });

  it('decodes the interrupt bits of mip/mie and trap vectors', () => {
    expect(fields('mip', (1n << 5n) | (1n << 9n))).toEqual({ SSI: '0', MSI: '0', STI: '1', MTI: '0', SEI: '1', MEI: '0' });
    expect(fields('stvec', 0xffffffff80001235n)).toEqual({ BASE: '0xffffffff80001234', MODE: '1 Vectored' });
    expect(fields('mtvec', -0x7ffff000n)).toEqual({ BASE: '0xffffffff80001000', MODE: '0 Direct' });
  });

  it('has a decoder for every inspected CSR and prints 16 hex digits', () => {
    for (const c of INSPECTED_CSRS) expect(decodeCsr(c.name, -1n).hex).toBe('ffffffffffffffff');
    expect(hex64(0x8000_0000n)).toBe('0000000080000000');
    expect(() => decodeCsr('nope', 0n)).toThrow(/no decoder/);
  });
});
