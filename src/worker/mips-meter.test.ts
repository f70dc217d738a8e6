import { describe, expect, it } from 'vitest';
import { MipsMeter } from './mips-meter.ts';

describe('MipsMeter', () => {
  it('is 0 without samples', () => {
    const m = new MipsMeter();
    expect(m.mips(0)).toBe(0);
    expect(m.busyMips()).toBe(0);
  });

  it('measures instructions per wall second over the last second only', () => {
    const m = new MipsMeter(1000);
    // 2 s at 50 MIPS (500,000 instructions per 10 ms), then 1 s at 10 MIPS.
    let t = 0;
    for (; t < 2000; ) m.record((t += 10), 500_000, 10);
    for (; t < 3000; ) m.record((t += 10), 100_000, 10);
    expect(m.mips(t)).toBeCloseTo(10, 5);
    expect(m.busyMips()).toBeCloseTo(10, 5);
  });

  it('keeps busy time apart from wall time (idle sleeps)', () => {
    const m = new MipsMeter(1000);
    let t = 0;
    // Each 20 ms: 5 ms running 100,000 instructions (20 MIPS busy), then 15 ms asleep.
    for (let i = 0; i < 200; i++) m.record((t += 20), 100_000, 5);
    expect(m.mips(t)).toBeCloseTo(5, 5);
    expect(m.busyMips()).toBeCloseTo(20, 5);
  });

  it('falls as time passes without new work, and forgets everything on reset', () => {
    const m = new MipsMeter(1000);
    m.record(0, 0, 0);
    m.record(1000, 1_000_000, 100);
    expect(m.mips(1000)).toBeCloseTo(1, 5);
    expect(m.mips(2000)).toBeCloseTo(0.5, 5);
    m.reset();
    expect(m.mips(2000)).toBe(0);
  });
});
