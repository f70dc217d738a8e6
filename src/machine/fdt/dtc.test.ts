/**
 * Cross-checks the encoder against the reference implementation: the Device Tree Compiler
 * (`dtc`, Debian package `device-tree-compiler`). Skipped when /usr/bin/dtc is not installed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytes, cells, empty, encodeFdt, node, ref, str, strs, u32, u64 } from './index.ts';

const DTC = '/usr/bin/dtc';
const haveDtc = existsSync(DTC);

/** Runs dtc on a blob; returns its stdout and stderr (warnings). Throws if dtc fails. */
function runDtc(blob: Uint8Array, args: string[]): { out: Buffer; warnings: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tabvm-dtc-'));
  try {
    const file = join(dir, 'in.dtb');
    writeFileSync(file, blob);
    const errFile = join(dir, 'stderr');
    const out = execFileSync('sh', ['-c', `"$0" "$@" 2>"${errFile}"`, DTC, ...args, file]);
    return { out, warnings: readFileSync(errFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!haveDtc)('FDT encoder vs dtc [needs /usr/bin/dtc, skipped without it]', () => {
  it('dtc decompiles our blob to the source we meant', () => {
    const tree = node('', { '#address-cells': u32(2), '#size-cells': u32(2), compatible: strs('acme,board', 'simple'), model: str('Acme') }, [
      node('intc', { 'interrupt-controller': empty(), '#interrupt-cells': u32(1), '#address-cells': u32(0) }, [], { label: 'intc' }),
      node('dev@1000', {
        reg: cells(0, 0x1000, 0, 0x100),
        'interrupts-extended': cells(ref('intc'), 3),
        seed: bytes(Uint8Array.of(1, 2, 3)),
        big: u64(0x1_0000_0002),
      }),
    ]);
    const { out, warnings } = runDtc(encodeFdt(tree, { reservations: [{ address: 0x8000_0000, size: 0x1000 }] }), ['-I', 'dtb', '-O', 'dts', '-o', '-']);
    expect(warnings).toBe('');
    expect(out.toString()).toBe(
      [
        '/dts-v1/;',
        '',
        '/memreserve/\t0x0000000080000000 0x0000000000001000;',
        '/ {',
        '\t#address-cells = <0x02>;',
        '\t#size-cells = <0x02>;',
        '\tcompatible = "acme,board\\0simple";',
        '\tmodel = "Acme";',
        '',
        '\tintc {',
        '\t\tinterrupt-controller;',
        '\t\t#interrupt-cells = <0x01>;',
        '\t\t#address-cells = <0x00>;',
        '\t\tphandle = <0x01>;',
        '\t};',
        '',
        '\tdev@1000 {',
        '\t\treg = <0x00 0x1000 0x00 0x100>;',
        '\t\tinterrupts-extended = <0x01 0x03>;',
        '\t\tseed = [01 02 03];',
        '\t\tbig = <0x01 0x02>;',
        '\t};',
        '};',
        '',
      ].join('\n'),
    );
  });
});
