import { describe, expect, it } from 'vitest';
import { dtNodeName, VIRT_MEMORY_MAP, virtEntry, virtMemoryMap } from './memory-map.ts';

describe('virt memory map', () => {
  it('matches QEMU virt addresses, sizes and PLIC irqs', () => {
    const row = (name: string) => {
      const e = virtEntry(name);
      return [e.base, e.size, e.irq];
    };
    expect(row('mrom')).toEqual([0x1000, 0xf000, undefined]);
    expect(row('test')).toEqual([0x100000, 0x1000, undefined]);
    expect(row('rtc')).toEqual([0x101000, 0x1000, 11]);
    expect(row('clint')).toEqual([0x2000000, 0x10000, undefined]);
    expect(row('plic')).toEqual([0xc000000, 0x600000, undefined]);
    expect(row('uart0')).toEqual([0x10000000, 0x100, 10]);
    for (let n = 0; n < 8; n++) expect(row(`virtio${n}`)).toEqual([0x10001000 + n * 0x1000, 0x1000, 1 + n]);
    expect(virtEntry('dram').base).toBe(0x80000000);
  });

  it('entries are sorted, do not overlap, and have unique names and irqs', () => {
    const map = virtMemoryMap(128 << 20);
    for (let i = 1; i < map.length; i++) expect(map[i - 1]!.base + map[i - 1]!.size).toBeLessThanOrEqual(map[i]!.base);
    expect(new Set(map.map((e) => e.name)).size).toBe(map.length);
    const irqs = map.flatMap((e) => (e.irq === undefined ? [] : [e.irq]));
    expect(new Set(irqs).size).toBe(irqs.length);
    expect(map.find((e) => e.kind === 'dram')!.size).toBe(128 << 20);
    expect(VIRT_MEMORY_MAP.find((e) => e.kind === 'dram')!.size).toBe(0);
  });

  it('names device tree nodes with their unit address', () => {
    expect(dtNodeName(virtEntry('uart0'))).toBe('serial@10000000');
    expect(dtNodeName(virtEntry('virtio7'))).toBe('virtio_mmio@10008000');
    expect(() => dtNodeName(virtEntry('mrom'))).toThrow();
    expect(() => virtEntry('nope')).toThrow();
  });
});
