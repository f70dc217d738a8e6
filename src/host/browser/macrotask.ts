/**
 * Yielding to the event loop from a busy worker. `setTimeout(0)` is clamped to ≥ 4 ms after a
 * few nested calls (HTML timers §8.6 step 5), which would waste a quarter of the CPU between
 * 15 ms slices; a MessageChannel message is a plain task with no clamp. Sleeps can be cut
 * short (console input must wake an idle guest at once).
 */

export class Scheduler {
  private readonly channel = new MessageChannel();
  private readonly queue: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wakeSleeper: (() => void) | undefined;

  constructor() {
    this.channel.port1.onmessage = () => this.queue.shift()?.();
  }

  /** Resolves in a new task, after pending messages (comlink calls, input) were handled. */
  yield(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.channel.port2.postMessage(null);
    });
  }

  /** Resolves after `ms` milliseconds, or earlier when `wake()` is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.wakeSleeper = undefined;
        resolve();
      };
      this.wakeSleeper = done;
      this.timer = setTimeout(done, ms);
    });
  }

  /** Ends the current sleep, if any. */
  wake(): void {
    this.wakeSleeper?.();
  }

  close(): void {
    this.wake();
    this.channel.port1.close();
  }
}
