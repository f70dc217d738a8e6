/**
 * The physical address map of the QEMU `virt` board (hw/riscv/virt.c, `virt_memmap`), the ONE
 * table that drives both bus registration and the device tree (STYLE principle 6), and that
 * the UI can list. Half-open ranges `[base, base + size)`.
 *
 * `dt` says what the device tree needs for the entry (node name, compatible, static extra
 * properties, label); what depends on other nodes (interrupt wiring by phandle) is added by
 * device-tree.ts by `kind`. Entries without `dt` (the boot ROM) are not in the tree.
 */
import { CLINT_MMIO_SIZE } from '../devices/clint/index.ts';
import { GOLDFISH_RTC_MMIO_SIZE } from '../devices/goldfish-rtc/index.ts';
import { PLIC_MMIO_SIZE, PLIC_NDEV } from '../devices/plic/index.ts';
import { SYSCON_MMIO_SIZE } from '../devices/syscon/index.ts';
import { u32, type PropMap } from './fdt/index.ts';

export type VirtDeviceKind = 'mrom' | 'test' | 'rtc' | 'clint' | 'plic' | 'uart' | 'virtio-mmio' | 'dram';

export interface DeviceTreeInfo {
  /** Node name without unit address (`serial`); the unit address is the base in hex. */
  readonly node: string;
  readonly compatible: readonly string[];
  /** Static extra properties, after `compatible`/`reg`/interrupts. */
  readonly props?: PropMap;
  /** Label other nodes reference by phandle (the syscon's regmap, the PLIC). */
  readonly label?: string;
}

export interface MemoryMapEntry {
  /** Unique name: bus mapping name and device id (`uart0`, `virtio3`). */
  readonly name: string;
  readonly kind: VirtDeviceKind;
  readonly base: number;
  /** Window size in bytes. DRAM's is 0 in the static table: it comes from the config. */
  readonly size: number;
  /** PLIC interrupt source, if the device has one. */
  readonly irq?: number;
  readonly dt?: DeviceTreeInfo;
}

/** NS16550A input clock on `virt` (3.6864 MHz), for the `clock-frequency` property. */
export const VIRT_UART_CLOCK_HZ = 3_686_400;
export const VIRT_VIRTIO_COUNT = 8;
export const VIRT_VIRTIO_BASE = 0x1000_1000;
export const VIRT_VIRTIO_STRIDE = 0x1000;
export const VIRT_VIRTIO_IRQ_BASE = 1;
export const VIRT_DRAM_BASE = 0x8000_0000;

const virtio: MemoryMapEntry[] = Array.from({ length: VIRT_VIRTIO_COUNT }, (_, n) => ({
  name: `virtio${n}`,
  kind: 'virtio-mmio',
  base: VIRT_VIRTIO_BASE + n * VIRT_VIRTIO_STRIDE,
  size: VIRT_VIRTIO_STRIDE,
  irq: VIRT_VIRTIO_IRQ_BASE + n,
  dt: { node: 'virtio_mmio', compatible: ['virtio,mmio'] },
}));

/** The `virt` board, in address order. */
export const VIRT_MEMORY_MAP: readonly MemoryMapEntry[] = [
  { name: 'mrom', kind: 'mrom', base: 0x1000, size: 0xf000 },
  {
    name: 'test',
    kind: 'test',
    base: 0x10_0000,
    size: SYSCON_MMIO_SIZE,
    dt: { node: 'test', compatible: ['sifive,test1', 'sifive,test0', 'syscon'], label: 'test' },
  },
  { name: 'rtc', kind: 'rtc', base: 0x10_1000, size: GOLDFISH_RTC_MMIO_SIZE, irq: 11, dt: { node: 'rtc', compatible: ['google,goldfish-rtc'] } },
  { name: 'clint', kind: 'clint', base: 0x200_0000, size: CLINT_MMIO_SIZE, dt: { node: 'clint', compatible: ['sifive,clint0', 'riscv,clint0'] } },
  {
    name: 'plic',
    kind: 'plic',
    base: 0xc00_0000,
    size: PLIC_MMIO_SIZE,
    dt: { node: 'plic', compatible: ['sifive,plic-1.0.0', 'riscv,plic0'], props: { 'riscv,ndev': u32(PLIC_NDEV) }, label: 'plic' },
  },
  {
    name: 'uart0',
    kind: 'uart',
    base: 0x1000_0000,
    size: 0x100,
    irq: 10,
    dt: { node: 'serial', compatible: ['ns16550a'], props: { 'clock-frequency': u32(VIRT_UART_CLOCK_HZ) } },
  },
  ...virtio,
  { name: 'dram', kind: 'dram', base: VIRT_DRAM_BASE, size: 0 },
];

/** The map with DRAM's size filled in. */
export function virtMemoryMap(ramSize: number): readonly MemoryMapEntry[] {
  return VIRT_MEMORY_MAP.map((e) => (e.kind === 'dram' ? { ...e, size: ramSize } : e));
}

/** The entry called `name`; a missing name is a programming error. */
export function virtEntry(name: string): MemoryMapEntry {
  const e = VIRT_MEMORY_MAP.find((x) => x.name === name);
  if (!e) throw new Error(`no memory map entry ${name}`);
  return e;
}

/** Device tree node name with unit address: `serial@10000000`. */
export function dtNodeName(e: MemoryMapEntry): string {
  if (!e.dt) throw new Error(`${e.name} is not in the device tree`);
  return `${e.dt.node}@${e.base.toString(16)}`;
}
