/** Small statistics helpers for the benchmarks: the machine is noisy, so we report medians. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `f` and measures wall time and this process's CPU time (user + system), in ms. */
export function timed<T>(f: () => T): { result: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { result, wallMs, cpuMs: (c.user + c.system) / 1000 };
}
