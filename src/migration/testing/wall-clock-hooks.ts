/** Driver hooks on the host's wall clock, for tests that run the async drivers for real. */
import type { DriverHooks } from '../drive.ts';

export const wallClockHooks: DriverHooks = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};
