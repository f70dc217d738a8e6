/**
 * Guest time as seen by devices and the hart: a count of ticks of the board's timebase
 * (10 MHz on the `virt` board). The board owns the clock and advances it between time
 * slices; nothing below `worker/` reads host time (STYLE principle 4).
 */
export interface GuestClock {
  /** Current guest time in timebase ticks (an integer, exact below 2^53). */
  now(): number;
}

/** Timebase of the QEMU `virt` board's CLINT, in Hz. */
export const TIMEBASE_HZ = 10_000_000;
