/**
 * Collects console bytes from the guest and hands them out at most once per interval (one
 * animation frame by default), so a chatty guest costs the page one message per frame instead
 * of one per byte. Time is an argument: the caller passes its clock in milliseconds.
 */

/** One frame at 60 Hz. */
export const FRAME_MS = 16;
const INITIAL_CAPACITY = 4096;

export class ConsoleBatcher {
  private buf = new Uint8Array(INITIAL_CAPACITY);
  private length = 0;
  private lastTake = -Infinity;

  constructor(private readonly intervalMs = FRAME_MS) {}

  /** Appends bytes (the array is copied; the caller may reuse it). */
  push(bytes: Uint8Array): void {
    const need = this.length + bytes.length;
    if (need > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(bytes, this.length);
    this.length = need;
  }

  get pending(): number {
    return this.length;
  }

  /** Milliseconds until a batch may go out (0: now); Infinity when nothing waits. */
  msUntilDue(nowMs: number): number {
    if (this.length === 0) return Infinity;
    return Math.max(0, this.lastTake + this.intervalMs - nowMs);
  }

  /**
   * The waiting bytes in a fresh buffer of their own (ready to transfer), or null when nothing
   * waits or (unless `force`) the last batch went out less than an interval ago.
   */
  take(nowMs: number, force = false): Uint8Array | null {
    if (this.length === 0 || (!force && this.msUntilDue(nowMs) > 0)) return null;
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    this.lastTake = nowMs;
    return out;
  }
}
