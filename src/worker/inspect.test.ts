import { describe, expect, it } from 'vitest';
import { PRIV } from '../core/isa/causes.ts';
import { defaultMachine } from '../machine/testing/default-machine.ts';
import { VIRT_MEMORY_MAP } from '../machine/memory-map.ts';
import { GPR_ABI_NAMES, inspectMachine } from './inspect.ts';

describe('inspectMachine', () => {
  it('reads the hart, the devices and the memory map of a running machine without changing it', () => {
    const { machine } = defaultMachine();
    machine.run(3_000_000);
    const s = machine.hart.state;
    const before = { pcLo: s.pcLo, pcHi: s.pcHi, instret: s.instret, x: s.x.slice(), mstatus: s.mstatus };
    const v = inspectMachine(machine);
    expect({ pcLo: s.pcLo, pcHi: s.pcHi, instret: s.instret, x: s.x.slice(), mstatus: s.mstatus }).toEqual(before);

    const u64 = (i: number) => ((BigInt(s.x[2 * i + 1]! >>> 0) << 32n) | BigInt(s.x[2 * i]! >>> 0)).toString(16).padStart(16, '0');
    expect(v.hart.pc).toBe(((BigInt(s.pcHi >>> 0) << 32n) | BigInt(s.pcLo >>> 0)).toString(16).padStart(16, '0'));
    expect(v.hart.x.map((r) => r.abi)).toEqual([...GPR_ABI_NAMES]);
    expect(v.hart.x[0]!.hex).toBe('0000000000000000');
    for (let i = 0; i < 32; i++) expect(v.hart.x[i]).toEqual({ name: `x${i}`, abi: GPR_ABI_NAMES[i], hex: u64(i) });
    expect(v.hart.priv).toBe(({ [PRIV.M]: 'M', [PRIV.S]: 'S', [PRIV.U]: 'U' } as const)[s.priv as 0 | 1 | 3]);
    const mstatus = v.hart.csrs.find((c) => c.name === 'mstatus')!;
    expect(mstatus.hex.slice(8)).toBe((s.mstatus >>> 0).toString(16).padStart(8, '0'));

    expect(v.map.map((e) => e.name)).toEqual(VIRT_MEMORY_MAP.map((e) => e.name));
    expect(v.map.find((e) => e.kind === 'dram')!.size).toBe(machine.config.ramSize);
    expect(v.virtio).toHaveLength(8);
    expect(v.virtio.map((x) => x.device)).toEqual(['block', 'entropy', 'network', 'empty', 'empty', 'empty', 'empty', 'empty']);
    expect(v.virtio[2]!.queues).toHaveLength(2);
    expect(v.clint.mtime).toBe(String(machine.clint.mtime()));
    expect(v.plic.contexts.map((c) => c.name)).toEqual(['hart0 M', 'hart0 S']);
    expect(v.disk).toEqual({ reads: 0, writes: 0, flushes: 0, bytesRead: 0, bytesWritten: 0, errors: 0 });
    // A structured clone must survive the trip to the page unchanged.
    expect(structuredClone(v)).toEqual(v);
  });

  it('shows console input waiting in the UART FIFO and on the host side', () => {
    const { machine } = defaultMachine();
    machine.uart.state.fcr = 0x01; // FIFO enabled: 16 bytes deep
    machine.consoleInput(new Uint8Array(20).fill(0x61));
    const v = inspectMachine(machine);
    expect(v.uart.rxFifoLevel).toBe(16);
    expect(v.uart.hostInputQueued).toBe(4);
    expect(v.uart.lsr & 0x01).toBe(1); // LSR.DR
  });
});
