import { MTIMECMP_RESET } from './regs.ts';

/** Guest-visible CLINT state. */
export interface ClintState {
  /** msip bit per hart (0 or 1). */
  msip: Uint8Array;
  /** mtimecmp per hart. */
  mtimecmp: BigUint64Array;
  /**
   * mtime = guest clock + mtimeOffset (ticks). The guest clock keeps counting on the board;
   * a guest write to mtime only moves this offset, which migrates with the device.
   */
  mtimeOffset: number;
}

export function createClintState(harts = 1): ClintState {
  const s: ClintState = { msip: new Uint8Array(harts), mtimecmp: new BigUint64Array(harts), mtimeOffset: 0 };
  resetClint(s);
  return s;
}

export function resetClint(s: ClintState): void {
  s.msip.fill(0);
  s.mtimecmp.fill(MTIMECMP_RESET);
  s.mtimeOffset = 0;
}
