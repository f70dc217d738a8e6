/** The Goldfish RTC's state description; the IRQ level is derived (`afterLoad`). */
import { describe } from '../../vmstate/index.ts';
import type { GoldfishRtcState } from './state.ts';

export const goldfishRtcDescription = describe<GoldfishRtcState>({
  name: 'goldfish-rtc',
  version: 1,
  fields: (f) => [
    f.i64('timeOffsetNs'),
    f.u32('timeHighLatch'),
    f.u64('alarmNs'),
    f.u32('alarmHigh'),
    f.bool('alarmRunning'),
    f.bool('irqPending'),
    f.bool('irqEnabled'),
  ],
});
