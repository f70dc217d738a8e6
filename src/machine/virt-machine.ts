/**
 * The `virt` board: RAM, the devices of the memory-map table, one RV64GC hart, the boot ROM and
 * the boot images, and the time-sliced run loop. Pure and synchronous: the host (CLI or worker)
 * calls `run(budget)` and pushes console input; output and disk I/O go through host backends.
 */
import { Bus } from '../core/bus/bus.ts';
import { ramGuestMemory } from '../core/bus/guest-memory.ts';
import type { IrqLine } from '../core/bus/irq.ts';
import type { MmioMapping } from '../core/bus/mmio.ts';
import { Ram } from '../core/bus/ram.ts';
import { Hart, HART_ISA, HART_ISA_EXTENSIONS, type HartOptions } from '../core/cpu/hart.ts';
import { warmUpInterpreter } from '../core/cpu/warmup.ts';
import { MIP } from '../core/isa/csr.ts';
import { Clint, createClintState, resetClint } from '../devices/clint/index.ts';
import { GoldfishRtc, createGoldfishRtcState, resetGoldfishRtc } from '../devices/goldfish-rtc/index.ts';
import { Plic, createPlicState, resetPlic } from '../devices/plic/index.ts';
import { Syscon, createSysconState, type SysconEvent } from '../devices/syscon/index.ts';
import { Uart16550, createUart16550State, resetUart16550 } from '../devices/uart16550/index.ts';
import { EmptyVirtioSlot, VirtioMmio, createVirtioMmioState } from '../devices/virtio/index.ts';
import { VirtioBlk, createVirtioBlkState, type BlockBackend } from '../devices/virtio-blk/index.ts';
import { NULL_NET_BACKEND, VirtioNet, createVirtioNetState, type NetBackend } from '../devices/virtio-net/index.ts';
import { VirtioRng, createVirtioRngState } from '../devices/virtio-rng/index.ts';
import { seededEntropy, type EntropySource } from '../devices/virtio-rng/entropy.ts';
import { checkFdt, layoutBootImages, type BootLayout } from './boot-images.ts';
import { hexToBytes, validateConfig, type MachineConfig } from './config.ts';
import { buildVirtDeviceTree } from './device-tree.ts';
import { virtMemoryMap, VIRT_DRAM_BASE, type MemoryMapEntry } from './memory-map.ts';
import { buildResetRom, Rom } from './mrom.ts';
import { VirtualClock, type ClockState } from './virtual-clock.ts';

export interface MachineImages {
  firmware: Uint8Array;
  kernel: Uint8Array;
  initrd?: Uint8Array;
}

/** What the host gives the machine: where bytes go and come from. */
export interface MachineHost {
  /** Bytes the guest writes to the console UART. */
  consoleOut(bytes: Uint8Array): void;
  disk?: BlockBackend;
  net?: NetBackend;
  /** Entropy for virtio-rng outside deterministic mode. */
  entropy?: EntropySource;
}

export type PowerState = 'on' | 'off' | 'reset-requested';

/** Machine-level state that is not inside a device: the clock, pending console input, console history. */
export interface BoardState {
  clock: ClockState;
  power: PowerState;
  exitCode: number;
  /** Console bytes received from the host that the UART's FIFO has not taken yet. */
  consoleIn: Uint8Array;
  consoleInLength: number;
  /**
   * The last bytes the guest printed, as a ring of CONSOLE_HISTORY_CAPACITY bytes: `consoleOutLength`
   * bytes starting at `consoleOutStart`. It migrates, so a UI can show the terminal after a restore.
   */
  consoleOut: Uint8Array;
  consoleOutStart: number;
  consoleOutLength: number;
}

/** Options for building a machine. */
export interface MachineOptions {
  /**
   * Load the boot images into RAM and reset the hart (default true). A machine that is about
   * to receive a snapshot skips it: every RAM page and all state will be overwritten.
   */
  boot?: boolean;
  /** The hart's options (the block compiler on or off, its threshold). */
  hart?: HartOptions;
}

export interface RunResult {
  /** Instructions the hart retired. */
  instructions: number;
  /** Budget used: retired instructions plus idle time skipped (deterministic mode), in instructions. */
  consumed: number;
  /** The guest waits for an interrupt; nothing will happen for `idleTicks` (Infinity: never). */
  idle: boolean;
  idleTicks: number;
  power: PowerState;
}

/** Virtio slot assignment: the disk, the entropy source, the network card. */
const VIRTIO_SLOT = { blk: 0, rng: 1, net: 2 } as const;
export const CONSOLE_IN_CAPACITY = 64 * 1024;
export const CONSOLE_HISTORY_CAPACITY = 64 * 1024;
/** Longest slice between device updates, in instructions. */
const SLICE_MAX = 20_000;
const FDT_MAX_SIZE = 64 * 1024;
const MROM_ENTRY = 0x1000;

/** A timer distance that counts as a future event (0 = already due = no future edge). */
const future = (ticks: number) => (ticks > 0 ? ticks : Infinity);

export class VirtMachine {
  readonly ram: Ram;
  readonly bus: Bus;
  readonly hart: Hart;
  readonly clock: VirtualClock;
  readonly uart: Uart16550;
  readonly plic: Plic;
  readonly clint: Clint;
  readonly rtc: GoldfishRtc;
  readonly syscon: Syscon;
  readonly virtio: VirtioMmio[] = [];
  readonly blk?: VirtioBlk;
  readonly rng?: VirtioRng;
  readonly net?: VirtioNet;
  readonly map: readonly MemoryMapEntry[];
  readonly board: BoardState;
  readonly layout: BootLayout;
  /** The disk backend the host gave (the snapshot layer saves its copy-on-write overlay). */
  readonly disk?: BlockBackend;
  private readonly rom: Uint8Array;

  constructor(
    readonly config: MachineConfig,
    images: MachineImages,
    host: MachineHost,
    options: MachineOptions = {},
  ) {
    validateConfig(config);
    warmUpInterpreter();
    this.map = virtMemoryMap(config.ramSize);
    this.board = {
      clock: { ticks: 0, instret: 0 },
      power: 'on',
      exitCode: 0,
      consoleIn: new Uint8Array(CONSOLE_IN_CAPACITY),
      consoleInLength: 0,
      consoleOut: new Uint8Array(CONSOLE_HISTORY_CAPACITY),
      consoleOutStart: 0,
      consoleOutLength: 0,
    };
    this.ram = new Ram(VIRT_DRAM_BASE, config.ramSize);
    const mem = ramGuestMemory(this.ram);
    let hart: Hart | undefined;
    const line = (bit: number): IrqLine => ({ set: (level) => hart?.setInterruptLine(bit, level) });
    this.clock = new VirtualClock(this.board.clock, () => hart?.state.instret ?? 0, config.instructionsPerTick);

    this.clint = new Clint(createClintState(1), this.clock, [line(MIP.MSIP)], [line(MIP.MTIP)]);
    this.plic = new Plic(createPlicState(1), [line(MIP.MEIP), line(MIP.SEIP)]);
    const entry = (kind: MemoryMapEntry['kind']) => this.map.find((e) => e.kind === kind)!;
    this.uart = new Uart16550(createUart16550State(), { write: (b) => this.printed(b, host) }, this.plic.sourceLine(entry('uart').irq!));
    this.rtc = new GoldfishRtc(createGoldfishRtcState(BigInt(config.rtcEpochNs)), this.clock, this.plic.sourceLine(entry('rtc').irq!));
    this.syscon = new Syscon(createSysconState(), (event, code) => this.onPower(event, code));

    const seed = hexToBytes(config.rngSeed);
    const seedWord = seed.length >= 4 ? new DataView(seed.buffer).getUint32(0, true) : 0;
    this.disk = host.disk;
    if (host.disk) this.blk = new VirtioBlk(createVirtioBlkState(), host.disk, { serial: config.images.disk?.name ?? 'tabvm-disk' });
    if (config.devices.rng) {
      const st = createVirtioRngState(seedWord);
      this.rng = new VirtioRng(st, config.deterministic || !host.entropy ? seededEntropy(st) : host.entropy);
    }
    if (config.devices.net) this.net = new VirtioNet(createVirtioNetState([0x52, 0x54, 0x00, 0x12, 0x34, 0x56]), host.net ?? NULL_NET_BACKEND);

    const layoutProbe = layoutBootImages(VIRT_DRAM_BASE, config.ramSize, images, FDT_MAX_SIZE);
    this.layout = layoutProbe;
    this.rom = buildResetRom(entry('mrom').size, layoutProbe.firmwareEntry, layoutProbe.fdtAddr, layoutProbe.kernelEntry);

    const mappings: MmioMapping[] = [];
    for (const e of this.map) {
      const at = (device: MmioMapping['device']) => mappings.push({ name: e.name, base: e.base, size: e.size, device });
      switch (e.kind) {
        case 'mrom': at(new Rom(this.rom)); break;
        case 'test': at(this.syscon); break;
        case 'rtc': at(this.rtc); break;
        case 'clint': at(this.clint); break;
        case 'plic': at(this.plic); break;
        case 'uart': at(this.uart); break;
        case 'virtio-mmio': {
          const slot = this.virtio.length;
          const dev = slot === VIRTIO_SLOT.blk ? this.blk : slot === VIRTIO_SLOT.rng ? this.rng : slot === VIRTIO_SLOT.net ? this.net : undefined;
          if (dev) {
            const t = new VirtioMmio(createVirtioMmioState(), dev, this.plic.sourceLine(e.irq!), mem);
            this.virtio.push(t);
            at(t);
          } else {
            this.virtio.push(undefined as unknown as VirtioMmio);
            at(new EmptyVirtioSlot());
          }
          break;
        }
        case 'dram': break;
      }
    }
    this.bus = new Bus(this.ram, mappings);
    hart = new Hart(this.bus, { now: () => this.clint.mtime() }, undefined, options.hart);
    this.hart = hart;
    if (options.boot ?? true) this.loadImages(false);
  }

  /** The `riscv,isa` string for the device tree: what the hart really implements. */
  static isaString(): string {
    return [HART_ISA, ...HART_ISA_EXTENSIONS].join('_');
  }

  /**
   * Copies firmware, kernel, initramfs and device tree into RAM and resets the hart. A fresh
   * machine's RAM is already zero (new ArrayBuffer), so only a reboot clears it: clearing
   * 256 MiB costs a noticeable part of a browser boot.
   */
  private loadImages(clear = true): void {
    const l = this.layout;
    const c = this.config;
    const u8 = this.ram.u8;
    const base = this.ram.base;
    if (clear) u8.fill(0);
    u8.set(l.firmware.bytes, l.firmware.addr - base);
    u8.set(l.kernel.bytes, l.kernel.addr - base);
    if (l.initrd) u8.set(l.initrd.bytes, l.initrd.addr - base);
    const fdt = buildVirtDeviceTree({
      ramSize: c.ramSize,
      bootargs: c.bootargs,
      initrd: l.initrd ? { start: l.initrd.addr, end: l.initrd.addr + l.initrd.bytes.length } : undefined,
      rngSeed: hexToBytes(c.rngSeed),
      isa: VirtMachine.isaString(),
      mmuType: c.mmu === 'sv48' ? 'riscv,sv48' : 'riscv,sv39',
    });
    checkFdt(fdt, FDT_MAX_SIZE);
    u8.set(fdt, l.fdtAddr - base);
    if (clear) {
      this.ram.dirty.fill(1); // every page changed (cleared)
    } else {
      // A fresh machine: only the images' pages hold anything (the rest stays known-zero, Ram.written).
      this.ram.markDirty(l.firmware.addr, l.firmware.bytes.length);
      this.ram.markDirty(l.kernel.addr, l.kernel.bytes.length);
      if (l.initrd) this.ram.markDirty(l.initrd.addr, l.initrd.bytes.length);
      this.ram.markDirty(l.fdtAddr, fdt.length);
    }
    this.hart.reset(MROM_ENTRY);
  }

  private onPower(event: SysconEvent, code: number): void {
    if (event === 'poweroff') {
      this.board.power = 'off';
      this.board.exitCode = code;
    } else {
      this.board.power = 'reset-requested';
    }
  }

  /** Appends guest output to the console history, then hands it to the host. */
  private printed(bytes: Uint8Array, host: MachineHost): void {
    const b = this.board;
    const cap = b.consoleOut.length;
    for (let i = Math.max(0, bytes.length - cap); i < bytes.length; i++) {
      b.consoleOut[(b.consoleOutStart + b.consoleOutLength) % cap] = bytes[i]!;
      if (b.consoleOutLength < cap) b.consoleOutLength++;
      else b.consoleOutStart = (b.consoleOutStart + 1) % cap;
    }
    host.consoleOut(bytes);
  }

  /** The last bytes the guest printed (up to CONSOLE_HISTORY_CAPACITY), oldest first, as a copy. */
  consoleHistory(): Uint8Array {
    const b = this.board;
    const cap = b.consoleOut.length;
    const out = new Uint8Array(b.consoleOutLength);
    const first = Math.min(b.consoleOutLength, cap - b.consoleOutStart);
    out.set(b.consoleOut.subarray(b.consoleOutStart, b.consoleOutStart + first));
    out.set(b.consoleOut.subarray(0, b.consoleOutLength - first), first);
    return out;
  }

  /** Queues console input for the guest; returns how many bytes were accepted. */
  consoleInput(bytes: Uint8Array): number {
    const b = this.board;
    const n = Math.min(bytes.length, b.consoleIn.length - b.consoleInLength);
    b.consoleIn.set(bytes.subarray(0, n), b.consoleInLength);
    b.consoleInLength += n;
    this.feedConsole();
    return n;
  }

  private feedConsole(): void {
    const b = this.board;
    if (b.consoleInLength === 0) return;
    const taken = this.uart.receiveBytes(b.consoleIn.subarray(0, b.consoleInLength));
    if (taken > 0) {
      b.consoleIn.copyWithin(0, taken, b.consoleInLength);
      b.consoleInLength -= taken;
    }
  }

  /** Re-evaluates every time-driven interrupt line. */
  private updateTimers(): void {
    this.clint.update();
    this.rtc.update();
    this.hart.updateTimers();
  }

  /**
   * Ticks until the next timer edge. A timer that is already due has raised its line and
   * produces no further edge until software rearms it, so it does not bound the slice.
   */
  private ticksUntilEvent(): number {
    return Math.min(future(this.clint.ticksUntilTimer()), future(this.hart.ticksUntilTimer()), future(this.rtc.ticksUntilAlarm()));
  }

  /**
   * Runs up to `budget` instructions. In deterministic mode, WFI idles by moving guest time
   * towards the next timer event, spending the budget at `instructionsPerTick` per tick (so a
   * budget is also a bound on guest time); otherwise the run returns `idle` with the ticks until
   * that event so the host can sleep (and push time forward with `catchUp`).
   */
  run(budget: number): RunResult {
    let done = 0;
    let consumed = 0;
    const ipt = this.config.instructionsPerTick;
    if (this.board.power === 'reset-requested') this.reboot();
    while (consumed < budget && this.board.power === 'on') {
      this.feedConsole();
      this.updateTimers();
      const until = this.ticksUntilEvent();
      const slice = Math.max(1, Math.min(budget - consumed, SLICE_MAX, until === Infinity ? SLICE_MAX : until * ipt + 1));
      const ran = this.hart.run(slice);
      done += ran;
      consumed += ran;
      if (this.hart.state.wfi) {
        this.updateTimers();
        if (!this.hart.state.wfi || (this.hart.mip() & this.hart.state.mie) !== 0) continue;
        const wait = this.ticksUntilEvent();
        if (!this.config.deterministic || wait === Infinity) {
          return { instructions: done, consumed, idle: true, idleTicks: wait, power: this.board.power };
        }
        const skip = Math.max(1, Math.min(wait, Math.ceil((budget - consumed) / ipt)));
        this.clock.advance(skip);
        consumed += skip * ipt;
      }
    }
    if (this.board.power === 'reset-requested') this.reboot();
    return { instructions: done, consumed, idle: false, idleTicks: 0, power: this.board.power };
  }

  /** Real-time mode: lets guest time catch up with the host's notion of now (in ticks). */
  catchUp(targetTicks: number): void {
    this.clock.catchUp(targetTicks);
  }

  /** Reboot as the syscon reset does: devices and hart reset, images reloaded. */
  reboot(): void {
    this.board.power = 'on';
    this.resetDevices();
    this.loadImages();
  }

  /** Every device back to its power-on state (the RTC keeps its time, as a real one does). */
  private resetDevices(): void {
    resetUart16550(this.uart.state);
    resetPlic(this.plic.state);
    resetClint(this.clint.state);
    resetGoldfishRtc(this.rtc.state);
    for (const t of this.virtio) t?.reset();
    this.uart.afterLoad();
    this.plic.afterLoad();
    this.clint.afterLoad();
    this.rtc.afterLoad();
  }
}
