/**
 * The device tree of the `virt` board, built from the memory map (memory-map.ts) so that the
 * bus and the tree can never disagree. Shaped like the tree QEMU's hw/riscv/virt.c builds:
 * cpus with cpu-map and a `riscv,cpu-intc` child per hart, /soc as a simple-bus holding the
 * MMIO devices, the CLINT and PLIC wired to the harts' local interrupt controllers by
 * `interrupts-extended`, /poweroff and /reboot as syscon nodes on the test device, and
 * /chosen with bootargs, stdout-path, initrd and rng-seed.
 *
 * ISA string: Linux 6.1 (arch/riscv/kernel/cpufeature.c, riscv_fill_hwcap) wants "rv64"
 * followed by lowercase single-letter extensions, then multi-letter extensions each
 * introduced by `_` (e.g. "rv64imafdc_zicsr_zifencei_zicntr_sstc"). It enables Sstc when one
 * of those tokens is exactly "sstc"; tokens it does not know (zicntr in 6.1) are skipped.
 */
import { TIMEBASE_HZ } from '../core/bus/clock.ts';
import { Finisher } from '../devices/syscon/index.ts';
import { bytes, cells, empty, encodeFdt, node, ref, str, strs, u32, u64, u64Cells, type Cell, type FdtNode } from './fdt/index.ts';
import { dtNodeName, VIRT_MEMORY_MAP, type MemoryMapEntry } from './memory-map.ts';

export interface VirtDeviceTreeOptions {
  /** Bytes of DRAM at 0x80000000. */
  readonly ramSize: number;
  /** Kernel command line. */
  readonly bootargs: string;
  /** Physical range `[start, end)` of the initramfs, if loaded. */
  readonly initrd?: { readonly start: number; readonly end: number };
  /** Entropy for the kernel (`/chosen/rng-seed`), from the host's config. */
  readonly rngSeed: Uint8Array;
  /** `riscv,isa` of every hart, e.g. "rv64imafdc_zicsr_zifencei_zicntr_sstc" (see the header). */
  readonly isa: string;
  readonly mmuType?: 'riscv,sv39' | 'riscv,sv48';
  readonly harts?: number;
  readonly timebaseHz?: number;
  /** The board's map (defaults to VIRT_MEMORY_MAP; DRAM's size comes from ramSize). */
  readonly map?: readonly MemoryMapEntry[];
}

/** Local interrupt numbers of a hart (mip bits) that the CLINT and PLIC drive. */
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;

const ISA_SYNTAX = /^rv64[a-z]+(_[a-z][a-z0-9]*)*$/;

const cpuLabel = (h: number) => `cpu${h}`;
const intcLabel = (h: number) => `cpu${h}-intc`;

function regCells(base: number, size: number): Cell[] {
  return [...u64Cells(base), ...u64Cells(size)];
}

function cpusNode(harts: number, isa: string, mmuType: string, timebaseHz: number): FdtNode {
  const cpus = Array.from({ length: harts }, (_, h) =>
    node(
      `cpu@${h}`,
      {
        device_type: str('cpu'),
        reg: u32(h),
        status: str('okay'),
        compatible: str('riscv'),
        'riscv,isa': str(isa),
        'mmu-type': str(mmuType),
      },
      [
        node(
          'interrupt-controller',
          { '#address-cells': u32(0), '#interrupt-cells': u32(1), 'interrupt-controller': empty(), compatible: str('riscv,cpu-intc') },
          [],
          { label: intcLabel(h) },
        ),
      ],
      { label: cpuLabel(h) },
    ),
  );
  const cores = Array.from({ length: harts }, (_, h) => node(`core${h}`, { cpu: cells(ref(cpuLabel(h))) }));
  return node('cpus', { '#address-cells': u32(1), '#size-cells': u32(0), 'timebase-frequency': u32(timebaseHz) }, [
    ...cpus,
    node('cpu-map', {}, [node('cluster0', {}, cores)]),
  ]);
}

/** A /soc child for one memory-map entry, with the wiring its kind needs. */
function socNode(e: MemoryMapEntry, harts: number, plicLabel: string): FdtNode {
  const dt = e.dt!;
  const perHart = (a: number, b: number) => Array.from({ length: harts }, (_, h) => [ref(intcLabel(h)), a, ref(intcLabel(h)), b]).flat();
  const wiring =
    e.kind === 'clint'
      ? { 'interrupts-extended': cells(...perHart(IRQ_M_SOFT, IRQ_M_TIMER)) }
      : e.kind === 'plic'
        ? {
            'interrupts-extended': cells(...perHart(IRQ_M_EXT, IRQ_S_EXT)),
            'interrupt-controller': empty(),
            '#interrupt-cells': u32(1),
            '#address-cells': u32(0),
          }
        : e.irq !== undefined
          ? { 'interrupt-parent': cells(ref(plicLabel)), interrupts: u32(e.irq) }
          : {};
  return node(
    dtNodeName(e),
    { compatible: strs(...dt.compatible), reg: cells(...regCells(e.base, e.size)), ...wiring, ...dt.props },
    [],
    dt.label === undefined ? {} : { label: dt.label },
  );
}

/** The tree as nodes (before encoding), for inspection and tests. */
export function virtDeviceTree(opts: VirtDeviceTreeOptions): FdtNode {
  const map = opts.map ?? VIRT_MEMORY_MAP;
  const harts = opts.harts ?? 1;
  if (!ISA_SYNTAX.test(opts.isa)) throw new Error(`riscv,isa ${JSON.stringify(opts.isa)} is not in the form Linux parses (rv64imafdc_zicsr_...)`);
  if (!Number.isInteger(harts) || harts < 1) throw new RangeError(`bad hart count ${harts}`);
  const one = (kind: MemoryMapEntry['kind']) => {
    const found = map.filter((e) => e.kind === kind);
    if (found.length !== 1) throw new Error(`the memory map must have exactly one ${kind}`);
    return found[0]!;
  };
  const dram = one('dram');
  const test = one('test');
  const plic = one('plic');
  const uart = map.find((e) => e.kind === 'uart');
  if (!uart) throw new Error('the memory map has no uart for stdout-path');
  if (!test.dt?.label || !plic.dt?.label) throw new Error('test and plic entries need device tree labels');

  const syscon = (name: string, compatible: string, value: number) =>
    node(name, { value: u32(value), offset: u32(0), regmap: cells(ref(test.dt!.label!)), compatible: str(compatible) });

  const initrd = opts.initrd;
  if (initrd && !(initrd.start <= initrd.end)) throw new RangeError('initrd end is before its start');
  const chosen = node('chosen', {
    bootargs: str(opts.bootargs),
    'stdout-path': str(`/soc/${dtNodeName(uart)}`),
    'rng-seed': opts.rngSeed.length > 0 ? bytes(opts.rngSeed) : undefined,
    'linux,initrd-start': initrd ? u64(initrd.start) : undefined,
    'linux,initrd-end': initrd ? u64(initrd.end) : undefined,
  });

  const socEntries = map.filter((e) => e.dt && e.kind !== 'dram');
  return node('', { '#address-cells': u32(2), '#size-cells': u32(2), compatible: str('riscv-virtio'), model: str('riscv-virtio,qemu') }, [
    syscon('poweroff', 'syscon-poweroff', Finisher.PASS),
    syscon('reboot', 'syscon-reboot', Finisher.RESET),
    node(`memory@${dram.base.toString(16)}`, { device_type: str('memory'), reg: cells(...regCells(dram.base, opts.ramSize)) }),
    cpusNode(harts, opts.isa, opts.mmuType ?? 'riscv,sv39', opts.timebaseHz ?? TIMEBASE_HZ),
    chosen,
    node('soc', { '#address-cells': u32(2), '#size-cells': u32(2), compatible: str('simple-bus'), ranges: empty() }, socEntries.map((e) => socNode(e, harts, plic.dt!.label!))),
  ]);
}

/** The `virt` device tree as a DTB blob (boot CPU 0, no memory reservations). */
export function buildVirtDeviceTree(opts: VirtDeviceTreeOptions): Uint8Array {
  return encodeFdt(virtDeviceTree(opts), { bootCpuid: 0 });
}
