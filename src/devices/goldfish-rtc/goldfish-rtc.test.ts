import { describe, expect, it } from 'vitest';
import { createGoldfishRtcState, GoldfishRtc, GoldfishRtcReg as R, NS_PER_TICK } from './index.ts';

/** 2026-01-01T00:00:00Z in ns. */
const EPOCH_2026 = 1_767_225_600_000_000_000n;

function setup(start = EPOCH_2026) {
  const clock = { t: 0, now() { return this.t; } };
  const irq = { level: false, set(l: boolean) { this.level = l; } };
  const rtc = new GoldfishRtc(createGoldfishRtcState(start), clock, irq);
  const rd = (off: number) => rtc.read(off, 4);
  const wr = (off: number, v: number) => rtc.write(off, 4, v);
  /** Linux goldfish_rtc_read_time: TIME_LOW first (latches HIGH), then TIME_HIGH. */
  const readTime = () => {
    const lo = BigInt(rd(R.TIME_LOW));
    return (BigInt(rd(R.TIME_HIGH)) << 32n) | lo;
  };
  /** Linux goldfish_rtc_set_time / set_alarm: HIGH first, then LOW. */
  const write64 = (hiReg: number, loReg: number, ns: bigint) => {
    wr(hiReg, Number(ns >> 32n));
    wr(loReg, Number(ns & 0xffff_ffffn));
  };
  return { rtc, clock, irq, rd, wr, readTime, write64 };
}

describe('GoldfishRtc', () => {
  it('time is the configured offset plus guest ticks × 100 ns', () => {
    const { clock, readTime } = setup();
    expect(NS_PER_TICK).toBe(100);
    expect(readTime()).toBe(EPOCH_2026);
    clock.t = 10_000_000; // one second at 10 MHz
    expect(readTime()).toBe(EPOCH_2026 + 1_000_000_000n);
  });

  it('reading TIME_LOW latches TIME_HIGH, so a carry between the reads does not tear', () => {
    const start = 0x1_ffff_ff00n;
    const { clock, rd } = setup(start);
    const lo = rd(R.TIME_LOW);
    clock.t = 10; // +1000 ns carries into the high half
    expect(rd(R.TIME_HIGH)).toBe(1);
    expect(lo).toBe(0xffff_ff00);
  });

  it('setting the time moves the offset; time keeps running from the new value', () => {
    const { clock, readTime, write64, rtc } = setup();
    clock.t = 500;
    write64(R.TIME_HIGH, R.TIME_LOW, 1_000_000_000_000n);
    expect(readTime()).toBe(1_000_000_000_000n);
    clock.t = 600;
    expect(readTime()).toBe(1_000_000_010_000n);
    expect(rtc.state.timeOffsetNs).toBe(1_000_000_000_000n - 500n * 100n);
  });

  it('an armed alarm fires on update when due and raises the line if enabled', () => {
    const { rtc, clock, irq, rd, wr, write64 } = setup();
    wr(R.IRQ_ENABLED, 1);
    write64(R.ALARM_HIGH, R.ALARM_LOW, EPOCH_2026 + 1_000_050n);
    expect(rd(R.ALARM_STATUS)).toBe(1);
    expect(rtc.ticksUntilAlarm()).toBe(10_001); // rounds up to a whole tick
    clock.t = 10_000;
    rtc.update();
    expect(irq.level).toBe(false);
    clock.t = 10_001;
    rtc.update();
    expect(irq.level).toBe(true);
    expect(rd(R.ALARM_STATUS)).toBe(0);
    expect(rtc.ticksUntilAlarm()).toBe(Infinity);
    wr(R.CLEAR_INTERRUPT, 1);
    expect(irq.level).toBe(false);
  });

  it('an alarm in the past fires at once; a disabled IRQ keeps the line low but stays pending', () => {
    const { irq, wr, write64 } = setup();
    write64(R.ALARM_HIGH, R.ALARM_LOW, EPOCH_2026 - 1n);
    expect(irq.level).toBe(false);
    wr(R.IRQ_ENABLED, 1);
    expect(irq.level).toBe(true);
  });

  it('CLEAR_ALARM disarms; alarm registers read back', () => {
    const { rtc, clock, irq, rd, wr, write64 } = setup();
    wr(R.IRQ_ENABLED, 1);
    write64(R.ALARM_HIGH, R.ALARM_LOW, EPOCH_2026 + 100n);
    expect((BigInt(rd(R.ALARM_HIGH)) << 32n) | BigInt(rd(R.ALARM_LOW))).toBe(EPOCH_2026 + 100n);
    expect(rd(R.IRQ_ENABLED)).toBe(1);
    wr(R.CLEAR_ALARM, 1);
    clock.t = 100;
    rtc.update();
    expect(irq.level).toBe(false);
  });

  it('afterLoad re-derives the line', () => {
    const { rtc, irq } = setup();
    rtc.state.irqPending = true;
    rtc.state.irqEnabled = true;
    rtc.afterLoad();
    expect(irq.level).toBe(true);
  });
});
