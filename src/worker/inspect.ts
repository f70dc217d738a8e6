/**
 * Reads a machine into a MachineView for the UI. It only reads: CSRs through `peekCsr`
 * (no privilege checks, no side effects), devices through their plain state, the PLIC through
 * its snapshot. The device list comes from the board's memory-map table (STYLE principle 6).
 */
import { TIMEBASE_HZ } from '../core/bus/clock.ts';
import { peekCsr } from '../core/cpu/csr-file.ts';
import type { Hart } from '../core/cpu/hart.ts';
import { PRIV } from '../core/isa/causes.ts';
import { PLIC_CONTEXTS_PER_HART } from '../devices/plic/index.ts';
import { LSR, RX_FIFO_SIZE, type Uart16550 } from '../devices/uart16550/index.ts';
import { DeviceStatus, VirtioDeviceId, type VirtioMmio } from '../devices/virtio/index.ts';
import type { MemoryMapEntry } from '../machine/memory-map.ts';
import type { VirtMachine } from '../machine/virt-machine.ts';
import { hex64, INSPECTED_CSRS } from './csr-decode.ts';
import type { ClintView, GprView, HartView, MachineView, PlicView, UartView, VirtioSlotView } from './inspect-types.ts';

/** Integer register ABI names (RISC-V psABI, table "Integer register convention"). */
export const GPR_ABI_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

const PRIV_LETTER: Readonly<Record<number, HartView['priv']>> = { [PRIV.U]: 'U', [PRIV.S]: 'S', [PRIV.M]: 'M' };

const VIRTIO_DEVICE_NAMES: Readonly<Record<number, string>> = {
  [VirtioDeviceId.None]: 'empty',
  [VirtioDeviceId.Net]: 'network',
  [VirtioDeviceId.Block]: 'block',
  [VirtioDeviceId.Entropy]: 'entropy',
};

const DEVICE_STATUS_BITS: readonly [number, string][] = [
  [DeviceStatus.Acknowledge, 'ACKNOWLEDGE'],
  [DeviceStatus.Driver, 'DRIVER'],
  [DeviceStatus.FeaturesOk, 'FEATURES_OK'],
  [DeviceStatus.DriverOk, 'DRIVER_OK'],
  [DeviceStatus.DeviceNeedsReset, 'DEVICE_NEEDS_RESET'],
  [DeviceStatus.Failed, 'FAILED'],
];

const pair64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export function inspectHart(h: Hart): HartView {
  const s = h.state;
  const x: GprView[] = GPR_ABI_NAMES.map((abi, i) => ({ name: `x${i}`, abi, hex: hex64(pair64(s.x[2 * i]!, s.x[2 * i + 1]!)) }));
  const csrs = INSPECTED_CSRS.map((c) => c.decode(c.name, peekCsr(h, c.csr) ?? 0n));
  return { pc: hex64(pair64(s.pcLo, s.pcHi)), priv: PRIV_LETTER[s.priv] ?? 'M', wfi: s.wfi, x, csrs };
}

function inspectUart(u: Uart16550, e: MemoryMapEntry, hostQueued: number): UartView {
  const s = u.state;
  return {
    base: e.base,
    irq: e.irq ?? 0,
    ier: s.ier,
    iir: u.pendingCause(),
    fcr: s.fcr,
    lcr: s.lcr,
    mcr: s.mcr,
    // The transmitter is always empty: bytes leave for the host at once.
    lsr: (s.rxCount > 0 ? LSR.DR : 0) | LSR.THRE | LSR.TEMT | s.lsrErrors,
    msr: s.msr,
    scr: s.scr,
    divisor: (s.dlm << 8) | s.dll,
    rxFifoLevel: s.rxCount,
    rxFifoSize: RX_FIFO_SIZE,
    hostInputQueued: hostQueued,
  };
}

function ids(bits: readonly boolean[]): number[] {
  const out: number[] = [];
  bits.forEach((b, id) => b && id > 0 && out.push(id));
  return out;
}

function inspectPlic(m: VirtMachine, e: MemoryMapEntry): PlicView {
  const snap = m.plic.snapshot();
  return {
    base: e.base,
    pending: ids(snap.pending),
    claimed: ids(snap.inService),
    asserted: ids(snap.level),
    contexts: snap.contexts.map((c, ctx) => ({
      name: `hart${Math.floor(ctx / PLIC_CONTEXTS_PER_HART)} ${ctx % PLIC_CONTEXTS_PER_HART === 0 ? 'M' : 'S'}`,
      threshold: c.threshold,
      enabled: [...c.enabled],
      irq: c.irq,
    })),
  };
}

function inspectClint(m: VirtMachine, e: MemoryMapEntry): ClintView {
  const s = m.clint.state;
  return { base: e.base, mtime: String(m.clint.mtime()), mtimecmp: Array.from(s.mtimecmp, String), msip: Array.from(s.msip) };
}

function inspectVirtio(t: VirtioMmio | undefined, e: MemoryMapEntry): VirtioSlotView {
  const deviceId = t?.device.deviceId ?? VirtioDeviceId.None;
  const view: VirtioSlotView = {
    name: e.name,
    base: e.base,
    irq: e.irq ?? 0,
    deviceId,
    device: VIRTIO_DEVICE_NAMES[deviceId] ?? `id ${deviceId}`,
    status: 0,
    statusBits: [],
    interruptStatus: 0,
    queues: [],
  };
  if (!t) return view;
  const s = t.state;
  view.status = s.status;
  view.statusBits = DEVICE_STATUS_BITS.filter(([bit]) => s.status & bit).map(([, name]) => name);
  view.interruptStatus = s.interruptStatus;
  for (let q = 0; q < t.device.queueCount; q++) {
    view.queues.push({ index: q, size: s.queueNum[q]!, ready: s.queueReady[q] === 1, lastAvailIdx: s.lastAvailIdx[q]!, usedIdx: s.usedIdx[q]! });
  }
  return view;
}

export function inspectMachine(m: VirtMachine): MachineView {
  const entry = (kind: MemoryMapEntry['kind']) => m.map.find((e) => e.kind === kind)!;
  const virtioEntries = m.map.filter((e) => e.kind === 'virtio-mmio');
  return {
    hart: inspectHart(m.hart),
    uart: inspectUart(m.uart, entry('uart'), m.board.consoleInLength),
    plic: inspectPlic(m, entry('plic')),
    clint: inspectClint(m, entry('clint')),
    virtio: virtioEntries.map((e, slot) => inspectVirtio(m.virtio[slot], e)),
    disk: m.blk ? { ...m.blk.state } : undefined,
    map: m.map.map((e) => (e.irq === undefined ? { name: e.name, kind: e.kind, base: e.base, size: e.size } : { name: e.name, kind: e.kind, base: e.base, size: e.size, irq: e.irq })),
    guestTimeMs: (m.clock.now() * 1000) / TIMEBASE_HZ,
  };
}
