/**
 * What `inspect()` returns: a plain, structured-clonable picture of one VM for the UI's
 * registers and devices panels. Numbers that can pass 2^53 travel as hex strings.
 */
import type { CsrField, DecodedCsr } from './csr-decode.ts';

export type { CsrField, DecodedCsr };

/** Where the VM is in its life, as the worker's run loop sees it. */
/** `moved`: the VM migrated to another tab; this worker no longer has it. */
export type RunState = 'created' | 'loading' | 'running' | 'paused' | 'off' | 'error' | 'moved';

export interface GprView {
  /** `x5` */
  name: string;
  /** ABI name, `t0` */
  abi: string;
  /** 16 hex digits. */
  hex: string;
}

export interface HartView {
  /** 16 hex digits. */
  pc: string;
  priv: 'U' | 'S' | 'M';
  /** Waiting in WFI. */
  wfi: boolean;
  x: GprView[];
  csrs: DecodedCsr[];
}

export interface UartView {
  base: number;
  irq: number;
  /** The registers as the guest last programmed them. */
  ier: number;
  /** Interrupt Identification that a read would return now (bits 3:0). */
  iir: number;
  fcr: number;
  lcr: number;
  mcr: number;
  lsr: number;
  msr: number;
  scr: number;
  /** Baud divisor (DLM:DLL). */
  divisor: number;
  rxFifoLevel: number;
  rxFifoSize: number;
  /** Console bytes the host holds that the FIFO has no room for yet. */
  hostInputQueued: number;
}

export interface PlicContextView {
  /** `hart0 M`, `hart0 S` */
  name: string;
  threshold: number;
  /** Enabled source ids. */
  enabled: number[];
  /** The context's interrupt line is high. */
  irq: boolean;
}

export interface PlicView {
  base: number;
  pending: number[];
  /** Claimed and not completed. */
  claimed: number[];
  /** Sources whose device holds its line high. */
  asserted: number[];
  contexts: PlicContextView[];
}

export interface ClintView {
  base: number;
  /** Ticks of the 10 MHz timebase, decimal. */
  mtime: string;
  /** Per hart, decimal (`18446744073709551615` when disarmed). */
  mtimecmp: string[];
  msip: number[];
}

export interface VirtqueueView {
  index: number;
  size: number;
  ready: boolean;
  lastAvailIdx: number;
  usedIdx: number;
}

export interface VirtioSlotView {
  name: string;
  base: number;
  irq: number;
  /** 0 for an empty slot. */
  deviceId: number;
  device: string;
  status: number;
  /** Names of the Device Status bits that are set (2.1). */
  statusBits: string[];
  interruptStatus: number;
  queues: VirtqueueView[];
}

export interface DiskView {
  reads: number;
  writes: number;
  flushes: number;
  bytesRead: number;
  bytesWritten: number;
  errors: number;
}

/** One row of the board's memory map (from machine/memory-map.ts). */
export interface MapRow {
  name: string;
  kind: string;
  base: number;
  size: number;
  irq?: number;
}

export interface MachineView {
  hart: HartView;
  uart: UartView;
  plic: PlicView;
  clint: ClintView;
  virtio: VirtioSlotView[];
  disk?: DiskView;
  map: MapRow[];
  /** Guest time in milliseconds since power-on. */
  guestTimeMs: number;
}

/** The cheap part of a snapshot: what a VM card shows. */
export interface VmStats {
  runState: RunState;
  power: 'on' | 'off' | 'reset-requested' | 'none';
  /** Instructions retired since the machine was built or last reset. */
  instret: number;
  /** Guest instructions per wall-clock second over the last second, in millions. */
  mips: number;
  /** Instructions per millisecond spent inside the emulator (ignores idle sleeps), in MIPS. */
  busyMips: number;
  error?: string;
}

export interface VmSnapshotView extends VmStats {
  /** Present once the machine exists. */
  machine?: MachineView;
}
