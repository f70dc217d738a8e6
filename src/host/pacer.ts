/**
 * Runs a machine against the host's clock: executes slices of guest instructions, lets guest
 * time follow wall time in real-time mode (VirtMachine.catchUp), and tells the caller how long
 * it may sleep when the guest idles. Used by the Node CLI and by the Web Worker.
 */
import type { RunResult, VirtMachine } from '../machine/virt-machine.ts';
import { TIMEBASE_HZ } from '../core/bus/clock.ts';

export interface PacerStep extends RunResult {
  /** Host milliseconds the caller may wait before the next step (0 = run again at once). */
  sleepMs: number;
}

export class Pacer {
  private hostStart = 0;
  private guestStart = 0;
  private running = false;
  /** Instructions per step; ~10 ms of guest work keeps input latency low. */
  budget = 1_000_000;

  constructor(private readonly machine: VirtMachine) {}

  /** Starts (or resumes) following wall time from the guest's current time: no jump. */
  resume(): void {
    this.running = true;
    this.hostStart = performance.now();
    this.guestStart = this.machine.clock.now();
  }

  pause(): void {
    this.running = false;
  }

  step(): PacerStep {
    const m = this.machine;
    if (!this.running) this.resume();
    if (!m.config.deterministic) {
      const elapsedTicks = Math.floor(((performance.now() - this.hostStart) * TIMEBASE_HZ) / 1000);
      m.catchUp(this.guestStart + elapsedTicks);
    }
    const r = m.run(this.budget);
    let sleepMs = 0;
    if (r.idle) {
      sleepMs = r.idleTicks === Infinity ? 50 : Math.min(50, (r.idleTicks * 1000) / TIMEBASE_HZ);
    }
    return { ...r, sleepMs };
  }
}
