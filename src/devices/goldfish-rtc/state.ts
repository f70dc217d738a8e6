/** Guest-visible Goldfish RTC state. */
export interface GoldfishRtcState {
  /** Wall time in ns = timeOffsetNs + guest clock ticks × ns per tick. */
  timeOffsetNs: bigint;
  /** TIME_HIGH as latched by the last TIME_LOW read. */
  timeHighLatch: number;
  /** Alarm time (ns) and the high half written ahead of ALARM_LOW. */
  alarmNs: bigint;
  alarmHigh: number;
  alarmRunning: boolean;
  irqPending: boolean;
  irqEnabled: boolean;
}

/**
 * `wallNsAtClockZero` is the wall time (ns since the epoch) when the guest clock reads 0; it
 * comes from the machine config (the host's time when the VM was created, or a fixed value).
 */
export function createGoldfishRtcState(wallNsAtClockZero: bigint): GoldfishRtcState {
  const s: GoldfishRtcState = {
    timeOffsetNs: wallNsAtClockZero,
    timeHighLatch: 0,
    alarmNs: 0n,
    alarmHigh: 0,
    alarmRunning: false,
    irqPending: false,
    irqEnabled: false,
  };
  resetGoldfishRtc(s);
  return s;
}

/** A machine reset stops the alarm and the interrupt; the clock keeps its time (battery). */
export function resetGoldfishRtc(s: GoldfishRtcState): void {
  s.timeHighLatch = 0;
  s.alarmNs = 0n;
  s.alarmHigh = 0;
  s.alarmRunning = false;
  s.irqPending = false;
  s.irqEnabled = false;
}
