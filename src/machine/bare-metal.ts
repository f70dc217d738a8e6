/**
 * A bare-metal board for conformance programs: RAM at 0x80000000, a CLINT at 0x2000000, and
 * the HTIF `tohost`/`fromhost` convention (REFERENCE.md "Conformance tests"). Time is
 * deterministic: mtime advances one tick per INSTRUCTIONS_PER_TICK retired instructions.
 */
import { Bus } from '../core/bus/bus.ts';
import type { GuestClock } from '../core/bus/clock.ts';
import { Ram } from '../core/bus/ram.ts';
import { MIP } from '../core/isa/csr.ts';
import { Hart, type HartOptions } from '../core/cpu/hart.ts';
import { warmUpInterpreter } from '../core/cpu/warmup.ts';
import { Clint, createClintState, CLINT_MMIO_SIZE } from '../devices/clint/index.ts';
import { ElfError, parseElf } from './elf.ts';

export const BARE_RAM_BASE = 0x8000_0000;
export const BARE_RAM_SIZE = 128 * 1024 * 1024;
export const BARE_CLINT_BASE = 0x200_0000;
export const INSTRUCTIONS_PER_TICK = 10;
/**
 * Instructions per time slice between HTIF polls (timers bound a slice further). Each slice
 * costs a few device updates; at 2000 that overhead was ~5% of a benchmark run. A program
 * waiting for the host (HTIF putchar, the final tohost write) spins for at most one slice.
 */
const SLICE = 10_000;
const HTIF_DEVICE_CONSOLE = 1;
/** A due timer has already raised its line: only timers still ahead bound a slice. */
const future = (ticks: number) => (ticks > 0 ? ticks : Infinity);
const HTIF_CONSOLE_PUTCHAR = 1;

export interface TohostResult {
  status: 'pass' | 'fail' | 'timeout';
  /** For 'fail': the n of tohost = (n << 1) | 1. */
  testCase?: number;
  /** Guest instructions retired. */
  instructions: number;
  /** Characters printed through HTIF (device 1, command 1). */
  output: string;
}

export interface BareMetalBoard {
  hart: Hart;
  ram: Ram;
  clint: Clint;
  /** Guest time spent idle in WFI, added to the instruction-derived clock. */
  idleTicks: number;
}

export function createBareMetalBoard(ramSize = BARE_RAM_SIZE, hartOptions: HartOptions = {}): BareMetalBoard {
  warmUpInterpreter();
  const ram = new Ram(BARE_RAM_BASE, ramSize);
  let hart: Hart | undefined;
  const board = { idleTicks: 0 } as BareMetalBoard;
  const clock: GuestClock = {
    now: () => Math.floor((hart?.state.instret ?? 0) / INSTRUCTIONS_PER_TICK) + board.idleTicks,
  };
  const clint = new Clint(
    createClintState(1),
    clock,
    [{ set: (l) => hart?.setInterruptLine(MIP.MSIP, l) }],
    [{ set: (l) => hart?.setInterruptLine(MIP.MTIP, l) }],
  );
  const bus = new Bus(ram, [{ name: 'clint', base: BARE_CLINT_BASE, size: CLINT_MMIO_SIZE, device: clint }]);
  hart = new Hart(bus, { now: () => clint.mtime() }, undefined, hartOptions);
  return Object.assign(board, { hart, ram, clint });
}

/** Loads an ELF's segments into RAM; returns the parsed image. */
export function loadElfIntoRam(ram: Ram, elfBytes: Uint8Array, what = 'program') {
  const elf = parseElf(elfBytes, what);
  for (const seg of elf.segments) {
    if (!ram.contains(seg.paddr, seg.memsz)) {
      throw new ElfError(`${what}: segment at 0x${seg.paddr.toString(16)} (${seg.memsz} bytes) is outside RAM`);
    }
    ram.u8.set(seg.data, seg.paddr - ram.base);
    ram.u8.fill(0, seg.paddr - ram.base + seg.data.length, seg.paddr - ram.base + seg.memsz);
  }
  return elf;
}

export function runTohostElf(elfBytes: Uint8Array, options: { maxInstructions?: number; hart?: HartOptions } = {}): TohostResult {
  const max = options.maxInstructions ?? 50_000_000;
  const board = createBareMetalBoard(BARE_RAM_SIZE, options.hart);
  const { hart, ram, clint } = board;
  const elf = loadElfIntoRam(ram, elfBytes);
  const tohost = elf.symbols.get('tohost');
  if (tohost === undefined) throw new ElfError('program has no `tohost` symbol');
  const fromhost = elf.symbols.get('fromhost') ?? tohost + 0x40;
  if (!ram.contains(tohost, 8) || !ram.contains(fromhost, 8)) throw new ElfError('tohost/fromhost outside RAM');
  const th = (tohost - ram.base) >>> 2;
  const fh = (fromhost - ram.base) >>> 2;
  hart.reset(elf.entry);

  let output = '';
  const i32 = ram.i32;
  while (hart.state.instret < max) {
    clint.update();
    hart.updateTimers();
    let slice = Math.min(SLICE, max - hart.state.instret);
    const until = Math.min(future(clint.ticksUntilTimer()), future(hart.ticksUntilTimer()));
    if (until !== Infinity) slice = Math.max(1, Math.min(slice, until * INSTRUCTIONS_PER_TICK));
    const ran = hart.run(slice);
    if (hart.state.wfi && ran < slice) {
      // Idle until the next timer: jump guest time forward.
      const wait = Math.min(future(clint.ticksUntilTimer()), future(hart.ticksUntilTimer()));
      if (wait === Infinity) {
        // Nothing can ever wake the hart. WFI may complete for any reason (privileged spec
        // 3.3.3), so resume as Spike does rather than hang (riscv-tests rv64si-p-wfi needs it).
        hart.state.wfi = false;
        continue;
      }
      board.idleTicks += Math.max(1, wait);
    }
    const lo = i32[th]!;
    const hi = i32[th + 1]!;
    if (lo === 0 && hi === 0) continue;
    const device = hi >>> 24;
    const command = (hi >>> 16) & 0xff;
    if (device === 0 && lo & 1) {
      const code = ((hi & 0xffff) * 0x1_0000_0000 + (lo >>> 0) - 1) / 2;
      return code === 0
        ? { status: 'pass', instructions: hart.state.instret, output }
        : { status: 'fail', testCase: code, instructions: hart.state.instret, output };
    }
    if (device === HTIF_DEVICE_CONSOLE && command === HTIF_CONSOLE_PUTCHAR) {
      output += String.fromCharCode(lo & 0xff);
      i32[th] = 0;
      i32[th + 1] = 0;
      i32[fh] = 1;
      i32[fh + 1] = 0;
    }
  }
  return { status: 'timeout', instructions: hart.state.instret, output };
}
