/**
 * Guest time for the board (10 MHz ticks). While the hart runs, time advances with retired
 * instructions (`instructionsPerTick`); when the guest idles in WFI the board moves it forward
 * to the next timer. In real-time mode the host also pushes it forward to follow wall time
 * (`catchUp`), never backwards; pausing simply stops both, so resuming does not jump.
 * In deterministic mode only instructions and idle skips move it: a run is reproducible.
 */
import type { GuestClock } from '../core/bus/clock.ts';

/** The clock's state (part of the machine's migrated state). */
export interface ClockState {
  /** Guest ticks at the last sync point. */
  ticks: number;
  /** Retired-instruction count at the last sync point. */
  instret: number;
}

export class VirtualClock implements GuestClock {
  constructor(
    readonly state: ClockState,
    private readonly instret: () => number,
    private readonly instructionsPerTick: number,
  ) {}

  now(): number {
    return this.state.ticks + Math.floor((this.instret() - this.state.instret) / this.instructionsPerTick);
  }

  /** Moves time to `now() + ticks` (idle skip). */
  advance(ticks: number): void {
    const t = this.now();
    this.state.ticks = t + Math.max(0, Math.ceil(ticks));
    this.state.instret = this.instret();
  }

  /** Real-time mode: lets guest time catch up to `target` ticks if it is behind (never back). */
  catchUp(target: number): void {
    const t = this.now();
    if (target > t) {
      this.state.ticks = target;
      this.state.instret = this.instret();
    }
  }
}
