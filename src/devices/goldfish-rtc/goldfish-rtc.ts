/**
 * Goldfish RTC of QEMU's `virt` board (PLIC irq 11). Wall time is derived from the guest
 * clock plus an offset in state, so it is deterministic and migrates; a guest write to TIME
 * moves the offset. The alarm fires when the board calls `update()` between time slices (or
 * at once when armed in the past); `ticksUntilAlarm()` lets the board size slices.
 * The IRQ line is high while an interrupt is pending and interrupts are enabled.
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import { TIMEBASE_HZ, type GuestClock } from '../../core/bus/clock.ts';
import { GoldfishRtcReg } from './regs.ts';
import type { GoldfishRtcState } from './state.ts';

const NS_PER_SECOND = 1_000_000_000;
/** Nanoseconds per guest clock tick (100 at the 10 MHz timebase). */
export const NS_PER_TICK = NS_PER_SECOND / TIMEBASE_HZ;
const NS_PER_TICK_BIG = BigInt(NS_PER_TICK);
const LOW32 = 0xffff_ffffn;

export class GoldfishRtc implements MmioDevice {
  constructor(
    readonly state: GoldfishRtcState,
    private readonly clock: GuestClock,
    private readonly irq: IrqLine,
  ) {}

  /** Current wall time in ns since the Unix epoch. */
  nowNs(): bigint {
    return this.state.timeOffsetNs + BigInt(this.clock.now()) * NS_PER_TICK_BIG;
  }

  /** Fires the alarm if it is due and re-derives the IRQ line. */
  update(): void {
    const s = this.state;
    if (s.alarmRunning && this.nowNs() >= s.alarmNs) {
      s.alarmRunning = false;
      s.irqPending = true;
    }
    this.irq.set(s.irqPending && s.irqEnabled);
  }

  /** Guest clock ticks until the alarm is due: 0 if it is, Infinity if none is armed. */
  ticksUntilAlarm(): number {
    const s = this.state;
    if (!s.alarmRunning) return Infinity;
    const ns = s.alarmNs - this.nowNs();
    if (ns <= 0n) return 0;
    return Number((ns + NS_PER_TICK_BIG - 1n) / NS_PER_TICK_BIG);
  }

  read(offset: number, _size: AccessSize): number {
    const s = this.state;
    switch (offset) {
      case GoldfishRtcReg.TIME_LOW: {
        const now = this.nowNs();
        s.timeHighLatch = Number((now >> 32n) & LOW32);
        return Number(now & LOW32);
      }
      case GoldfishRtcReg.TIME_HIGH:
        return s.timeHighLatch;
      case GoldfishRtcReg.ALARM_LOW:
        return Number(s.alarmNs & LOW32);
      case GoldfishRtcReg.ALARM_HIGH:
        return Number((s.alarmNs >> 32n) & LOW32);
      case GoldfishRtcReg.IRQ_ENABLED:
        return s.irqEnabled ? 1 : 0;
      case GoldfishRtcReg.ALARM_STATUS:
        return s.alarmRunning ? 1 : 0;
      default:
        return 0;
    }
  }

  write(offset: number, _size: AccessSize, value: number): void {
    const s = this.state;
    const v = BigInt(value >>> 0);
    switch (offset) {
      case GoldfishRtcReg.TIME_LOW:
      case GoldfishRtcReg.TIME_HIGH: {
        // Replace one half of the current time (as QEMU deposits it); the clock runs on.
        const now = this.nowNs();
        const next = offset === GoldfishRtcReg.TIME_LOW ? (now & ~LOW32) | v : (v << 32n) | (now & LOW32);
        s.timeOffsetNs += next - now;
        break;
      }
      case GoldfishRtcReg.ALARM_LOW:
        s.alarmNs = (BigInt(s.alarmHigh) << 32n) | v;
        s.alarmRunning = true;
        break;
      case GoldfishRtcReg.ALARM_HIGH:
        s.alarmHigh = value >>> 0;
        break;
      case GoldfishRtcReg.IRQ_ENABLED:
        s.irqEnabled = (value & 1) !== 0;
        break;
      case GoldfishRtcReg.CLEAR_ALARM:
        s.alarmRunning = false;
        break;
      case GoldfishRtcReg.CLEAR_INTERRUPT:
        s.irqPending = false;
        break;
      default:
        return;
    }
    this.update();
  }

  /** Re-derives the IRQ line after `state` was replaced from a snapshot. */
  afterLoad(): void {
    this.irq.set(this.state.irqPending && this.state.irqEnabled);
  }
}
