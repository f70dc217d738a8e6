import { describe, expect, it } from 'vitest';
import { decodeFdt, findNode, propCells, propString, propStrings, propU32, propU64, type DecodedNode } from './fdt/index.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVirtDeviceTree, type VirtDeviceTreeOptions } from './device-tree.ts';
import { VIRT_MEMORY_MAP } from './memory-map.ts';

const DTC = '/usr/bin/dtc';
const ISA = 'rv64imafdc_zicsr_zifencei_zicntr_sstc';
const base: VirtDeviceTreeOptions = {
  ramSize: 256 << 20,
  bootargs: 'console=ttyS0 earlycon=sbi',
  rngSeed: Uint8Array.from({ length: 32 }, (_, i) => i * 7),
  isa: ISA,
};
const tree = (opts: Partial<VirtDeviceTreeOptions> = {}) => decodeFdt(buildVirtDeviceTree({ ...base, ...opts }));
const at = (root: DecodedNode, path: string) => {
  const n = findNode(root, path);
  if (!n) throw new Error(`no node ${path}`);
  return n;
};
/** Every node with a phandle, by phandle. */
const byPhandle = (root: DecodedNode) => {
  const m = new Map<number, DecodedNode>();
  const walk = (n: DecodedNode) => {
    if (n.props.has('phandle')) m.set(propU32(n, 'phandle'), n);
    n.children.forEach(walk);
  };
  walk(root);
  return m;
};

describe('buildVirtDeviceTree', () => {
  it('has the QEMU virt root, memory and cpus', () => {
    const { root, bootCpuid } = tree();
    expect(bootCpuid).toBe(0);
    expect(propString(root, 'compatible')).toBe('riscv-virtio');
    expect(propString(root, 'model')).toBe('riscv-virtio,qemu');
    expect(propCells(root, '#address-cells')).toEqual([2]);
    expect(propCells(at(root, '/memory@80000000'), 'reg')).toEqual([0, 0x80000000, 0, 256 << 20]);
    const cpus = at(root, '/cpus');
    expect(propU32(cpus, 'timebase-frequency')).toBe(10_000_000);
    const cpu = at(root, '/cpus/cpu@0');
    expect(propString(cpu, 'riscv,isa')).toBe(ISA);
    expect(propString(cpu, 'mmu-type')).toBe('riscv,sv39');
    expect(propString(cpu, 'device_type')).toBe('cpu');
    expect(propString(cpu, 'status')).toBe('okay');
    expect(propString(at(root, '/cpus/cpu@0/interrupt-controller'), 'compatible')).toBe('riscv,cpu-intc');
    expect(propU32(at(root, '/cpus/cpu-map/cluster0/core0'), 'cpu')).toBe(propU32(cpu, 'phandle'));
    expect(propString(at(tree({ mmuType: 'riscv,sv48' }).root, '/cpus/cpu@0'), 'mmu-type')).toBe('riscv,sv48');
  });

  it('wires the CLINT (msip 3, mtip 7) and PLIC (M ext 11, S ext 9) to the cpu intc', () => {
    const { root } = tree();
    const intc = propU32(at(root, '/cpus/cpu@0/interrupt-controller'), 'phandle');
    const clint = at(root, '/soc/clint@2000000');
    expect(propStrings(clint, 'compatible')).toEqual(['sifive,clint0', 'riscv,clint0']);
    expect(propCells(clint, 'interrupts-extended')).toEqual([intc, 3, intc, 7]);
    const plic = at(root, '/soc/plic@c000000');
    expect(propStrings(plic, 'compatible')).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
    expect(propCells(plic, 'interrupts-extended')).toEqual([intc, 11, intc, 9]);
    expect(propU32(plic, 'riscv,ndev')).toBe(95);
    expect(plic.props.has('interrupt-controller')).toBe(true);
    expect(propCells(plic, 'reg')).toEqual([0, 0xc000000, 0, 0x600000]);
  });

  it('has one /soc node per mapped device, with reg and PLIC interrupt from the memory map', () => {
    const { root } = tree();
    const soc = at(root, '/soc');
    expect(propString(soc, 'compatible')).toBe('simple-bus');
    expect(soc.props.has('ranges')).toBe(true);
    const plicPh = propU32(at(root, '/soc/plic@c000000'), 'phandle');
    const mapped = VIRT_MEMORY_MAP.filter((e) => e.dt);
    expect(soc.children.length).toBe(mapped.length);
    for (const e of mapped) {
      const n = at(soc, `${e.dt!.node}@${e.base.toString(16)}`);
      expect(propCells(n, 'reg')).toEqual([0, e.base, 0, e.size]);
      expect(propStrings(n, 'compatible')).toEqual(e.dt!.compatible);
      if (e.irq !== undefined) {
        expect(propU32(n, 'interrupts')).toBe(e.irq);
        expect(propU32(n, 'interrupt-parent')).toBe(plicPh);
      }
    }
    expect(soc.children.filter((c) => c.name.startsWith('virtio_mmio@')).length).toBe(8);
    expect(propU32(at(root, '/soc/serial@10000000'), 'clock-frequency')).toBe(3_686_400);
    expect(propU32(at(root, '/soc/rtc@101000'), 'interrupts')).toBe(11);
  });

  it('has /poweroff and /reboot syscon nodes pointing at the test device', () => {
    const { root } = tree();
    const test = at(root, '/soc/test@100000');
    expect(propStrings(test, 'compatible')).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
    for (const [path, compat, value] of [
      ['/poweroff', 'syscon-poweroff', 0x5555],
      ['/reboot', 'syscon-reboot', 0x7777],
    ] as const) {
      const n = at(root, path);
      expect(propString(n, 'compatible')).toBe(compat);
      expect(propU32(n, 'value')).toBe(value);
      expect(propU32(n, 'offset')).toBe(0);
      expect(propU32(n, 'regmap')).toBe(propU32(test, 'phandle'));
    }
  });

  it('has /chosen with bootargs, stdout-path to a real node, rng-seed and initrd', () => {
    const { root } = tree({ initrd: { start: 0x8400_0000, end: 0x8420_0000 } });
    const chosen = at(root, '/chosen');
    expect(propString(chosen, 'bootargs')).toBe(base.bootargs);
    expect(propString(chosen, 'stdout-path')).toBe('/soc/serial@10000000');
    expect(findNode(root, propString(chosen, 'stdout-path'))).toBeDefined();
    expect(chosen.props.get('rng-seed')).toEqual(base.rngSeed);
    expect(propU64(chosen, 'linux,initrd-start')).toBe(0x8400_0000n);
    expect(propU64(chosen, 'linux,initrd-end')).toBe(0x8420_0000n);
    expect(at(tree().root, '/chosen').props.has('linux,initrd-start')).toBe(false);
  });

  it('every phandle reference resolves to an interrupt controller or the syscon', () => {
    const { root } = tree({ harts: 2 });
    const ph = byPhandle(root);
    const plic = at(root, '/soc/plic@c000000');
    const ext = propCells(plic, 'interrupts-extended');
    expect(ext.length).toBe(8); // two harts × (M, S)
    for (let i = 0; i < ext.length; i += 2) expect(propString(ph.get(ext[i]!)!, 'compatible')).toBe('riscv,cpu-intc');
    expect(ph.get(ext[0]!)).not.toBe(ph.get(ext[4]!));
    expect(at(root, '/cpus/cpu-map/cluster0').children.map((c) => c.name)).toEqual(['core0', 'core1']);
    expect(propCells(at(root, '/soc/clint@2000000'), 'interrupts-extended').length).toBe(8);
  });

  it('refuses ISA strings Linux 6.1 would not parse and a reversed initrd', () => {
    expect(() => buildVirtDeviceTree({ ...base, isa: 'RV64IMAFDC' })).toThrow(/riscv,isa/);
    expect(() => buildVirtDeviceTree({ ...base, isa: 'rv64imafdc_Sstc' })).toThrow(/riscv,isa/);
    expect(() => buildVirtDeviceTree({ ...base, isa: 'rv32imac' })).toThrow(/riscv,isa/);
    expect(() => buildVirtDeviceTree({ ...base, initrd: { start: 10, end: 5 } })).toThrow(RangeError);
  });

  it.skipIf(!existsSync(DTC))('dtc reads it with no warnings, and dts → dtb gives back the same tree [needs /usr/bin/dtc, skipped without it]', () => {
    const blob = buildVirtDeviceTree({ ...base, initrd: { start: 0x8400_0000, end: 0x8420_0000 } });
    const dts = runDtc(blob, ['-I', 'dtb', '-O', 'dts', '-o', '-']);
    expect(dts.warnings).toBe('');
    const again = runDtc(blob, ['-I', 'dtb', '-O', 'dtb', '-o', '-']);
    expect(again.warnings).toBe('');
    expect(decodeFdt(new Uint8Array(again.out)).root).toEqual(decodeFdt(blob).root);
    const viaSource = runDtc(dts.out, ['-I', 'dts', '-O', 'dtb', '-o', '-']);
    // Decompiled source has phandles as plain numbers, so dtc's source checks flag them in
    // interrupts-extended (the same happens for QEMU's own dumped tree); nothing else may warn.
    const otherWarnings = viaSource.warnings.split('\n').filter((l) => l !== '' && !l.includes('is not a phandle reference'));
    expect(otherWarnings).toEqual([]);
    expect(decodeFdt(new Uint8Array(viaSource.out)).root).toEqual(decodeFdt(blob).root);
  });
});


/** Runs dtc on `input` (a file's bytes); returns stdout and stderr. Throws if dtc fails. */
function runDtc(input: Uint8Array, args: string[]): { out: Buffer; warnings: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tabvm-dtc-'));
  try {
    const file = join(dir, 'in');
    const errFile = join(dir, 'stderr');
    writeFileSync(file, input);
    const out = execFileSync('sh', ['-c', `"$0" "$@" 2>"${errFile}"`, DTC, ...args, file]);
    return { out, warnings: readFileSync(errFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
