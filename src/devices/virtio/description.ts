/**
 * The virtio-mmio transport's state description (Virtio 1.2, 4.2.2): selectors, features,
 * status, interrupt status and per queue its size, ready flag, ring addresses and the
 * device's ring indices. The IRQ level is derived (`afterLoad`). A queue size that is not a
 * power of two (2.7: Queue Size) or above the split-ring maximum is refused, as is a ready
 * flag other than 0/1.
 */
import { describe, type FieldError } from '../../vmstate/index.ts';
import type { VirtioMmioState } from './state.ts';
import { VIRTQ_MAX_SIZE } from './virtqueue.ts';

function checkQueues(s: VirtioMmioState): FieldError | undefined {
  for (let q = 0; q < s.queueNum.length; q++) {
    const n = s.queueNum[q]!;
    if (n !== 0 && ((n & (n - 1)) !== 0 || n > VIRTQ_MAX_SIZE))
      return { field: `queueNum[${q}]`, message: `queue size ${n} is not a power of two up to ${VIRTQ_MAX_SIZE}` };
    if (s.queueReady[q]! > 1) return { field: `queueReady[${q}]`, message: `ready flag ${s.queueReady[q]}` };
  }
  if (s.status > 0xff) return { field: 'status', message: `status ${s.status} does not fit the 8-bit register` };
  return undefined;
}

export const virtioMmioDescription = describe<VirtioMmioState>({
  name: 'virtio-mmio',
  version: 1,
  fields: (f) => [
    f.u32('deviceFeaturesSel'),
    f.u32('driverFeaturesSel'),
    f.u32s('driverFeatures'),
    f.u32('queueSel'),
    f.u32('status'),
    f.u32('interruptStatus'),
    f.u32('configGeneration'),
    f.u32('shmSel'),
    f.u32s('queueNum'),
    f.bytes('queueReady'),
    f.u32s('queueDescLow'),
    f.u32s('queueDescHigh'),
    f.u32s('queueDriverLow'),
    f.u32s('queueDriverHigh'),
    f.u32s('queueDeviceLow'),
    f.u32s('queueDeviceHigh'),
    f.u16s('lastAvailIdx'),
    f.u16s('usedIdx'),
  ],
  postLoad: checkQueues,
});
