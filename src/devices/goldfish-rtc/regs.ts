/**
 * Goldfish RTC registers (Android emulator goldfish virtual platform; QEMU
 * hw/rtc/goldfish_rtc.c; Linux drivers/rtc/rtc-goldfish.c). Time is nanoseconds since the
 * Unix epoch, as a 64-bit value read in two halves.
 */
export const GoldfishRtcReg = {
  /** Reading TIME_LOW latches the high half into TIME_HIGH. */
  TIME_LOW: 0x00,
  TIME_HIGH: 0x04,
  /** Writing ALARM_LOW arms the alarm at (ALARM_HIGH << 32) | value. */
  ALARM_LOW: 0x08,
  ALARM_HIGH: 0x0c,
  IRQ_ENABLED: 0x10,
  CLEAR_ALARM: 0x14,
  ALARM_STATUS: 0x18,
  CLEAR_INTERRUPT: 0x1c,
} as const;

export const GOLDFISH_RTC_MMIO_SIZE = 0x1000;
