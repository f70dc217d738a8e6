/**
 * Guest speed over a sliding window (one second by default): instructions retired per
 * wall-clock second, and per second actually spent running (sleeps while the guest idles do
 * not count). Time is an argument, in milliseconds of any monotonic clock.
 */

interface Sample {
  /** Wall time, ms. */
  t: number;
  /** Instructions retired in total. */
  n: number;
  /** Time spent running in total, ms. */
  busy: number;
}

export const MIPS_WINDOW_MS = 1000;

export class MipsMeter {
  private samples: Sample[] = [];
  private busyTotal = 0;
  private instructionsTotal = 0;

  constructor(private readonly windowMs = MIPS_WINDOW_MS) {}

  /** Records that `instructions` ran in `busyMs` of host time, ending at `nowMs`. */
  record(nowMs: number, instructions: number, busyMs: number): void {
    this.instructionsTotal += instructions;
    this.busyTotal += busyMs;
    this.samples.push({ t: nowMs, n: this.instructionsTotal, busy: this.busyTotal });
    // Keep one sample at or before the window's start so the window is always covered.
    const start = nowMs - this.windowMs;
    let drop = 0;
    while (drop + 1 < this.samples.length && this.samples[drop + 1]!.t <= start) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** Forget everything (after a reset, or when the VM was paused: no stale rate). */
  reset(): void {
    this.samples = [];
  }

  /** Millions of instructions per wall-clock second over the window ending at `nowMs` (0 without data). */
  mips(nowMs: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return 0;
    const dt = nowMs - first.t;
    return dt > 0 ? (last.n - first.n) / dt / 1000 : 0;
  }

  /** Millions of instructions per second of running time over the window (0 without data). */
  busyMips(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last) return 0;
    const busy = last.busy - first.busy;
    return busy > 0 ? (last.n - first.n) / busy / 1000 : 0;
  }
}
