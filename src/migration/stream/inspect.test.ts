import { readFileSync } from 'node:fs';
import { describe as group, expect, it } from 'vitest';
import { inspectStream } from './inspect.ts';

const golden = new Uint8Array(readFileSync(new URL('./fixtures/example-machine.bin', import.meta.url)));

group('inspectStream', () => {
  it('prints sections, RAM summaries and every device field like analyze-migration.py', () => {
    const text = inspectStream(golden);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${golden.length} bytes`);
    expect(lines[1]).toBe('header: magic 0x5145564d (QEVM), version 3');
    expect(text).toMatch(/^@8 CONFIGURATION \(\d+ bytes\): \{"format":"tabvm","formatVersion":1,"ramSize":65536,/m);
    expect(text).toContain('START section 0 "ram" instance 0 version 4\n  MEM_SIZE 0x0000000000010000\n  block "tabvm.ram" 0x0000000000010000');
    expect(text).toContain('  3 pages, 13 zero pages');
    expect(text).toContain('FULL section 1 "example-uart" instance 0 version 2');
    expect(text).toContain('  scratch (uint32): 0xdeadbeef');
    expect(text).toContain('  timeOffset (int64): 0xfffffffff8a432eb (-123456789)');
    expect(text).toContain('  fscale (float64): -0.5');
    expect(text).toContain('  subsection "example-hart/vector" version 1\n    vlen (uint32): 0x00000080');
    expect(text).toContain('    descs[1]: struct example-desc version 1\n      addr (uint64): 0x0000087654321000');
    expect(text).toContain('  ring/end (uint8): 0x7f');
    expect(text).toContain('  config (buffer): 01 02 03 04 05');
    expect(lines.at(-2)).toMatch(/^@\d+ EOF$/);
    expect(lines.at(-1)).toMatch(/^@\d+ VMDESCRIPTION \(\d+ bytes of JSON\)$/);
    expect(text).not.toContain('error:');
  });

  it('ends with an error line where a damaged stream stops, never throwing', () => {
    const cut = golden.subarray(0, 13000);
    const text = inspectStream(cut);
    expect(text).toContain('no JSON description found');
    expect(text.split('\n').at(-1)).toMatch(/^error: /);
    for (let n = 0; n < golden.length; n += 211) expect(typeof inspectStream(golden.subarray(0, n))).toBe('string');
  });
});
