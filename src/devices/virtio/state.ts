/**
 * Guest-visible state of one virtio-mmio transport (Virtio 1.2, 4.2.2): the selectors, the
 * negotiated features, the status byte, the interrupt status, and per virtqueue its size,
 * ready flag, the three ring addresses (as the low/high register words the driver wrote)
 * and the device's private ring indices (`lastAvailIdx`, `usedIdx`). Plain data only.
 */

/** Queues per transport that the state has room for (virtio-net uses 2, blk and rng 1). */
export const VIRTIO_MAX_QUEUES = 8;

export interface VirtioMmioState {
  deviceFeaturesSel: number;
  driverFeaturesSel: number;
  /** DriverFeatures as written, word 0 = bits 0..31, word 1 = bits 32..63. */
  driverFeatures: Uint32Array;
  queueSel: number;
  /** Device Status byte (2.1). */
  status: number;
  /** InterruptStatus bits; the IRQ line is high while this is non-zero. */
  interruptStatus: number;
  configGeneration: number;
  shmSel: number;
  /** Per queue (index = queue number): QueueNum as written. */
  queueNum: Uint32Array;
  /** Per queue: 1 once the driver wrote QueueReady = 1. */
  queueReady: Uint8Array;
  queueDescLow: Uint32Array;
  queueDescHigh: Uint32Array;
  queueDriverLow: Uint32Array;
  queueDriverHigh: Uint32Array;
  queueDeviceLow: Uint32Array;
  queueDeviceHigh: Uint32Array;
  /** Per queue: the next available-ring index the device will read (free-running, mod 2^16). */
  lastAvailIdx: Uint16Array;
  /** Per queue: the device's copy of used->idx (free-running, mod 2^16). */
  usedIdx: Uint16Array;
}

export function createVirtioMmioState(): VirtioMmioState {
  const q = VIRTIO_MAX_QUEUES;
  const s: VirtioMmioState = {
    deviceFeaturesSel: 0,
    driverFeaturesSel: 0,
    driverFeatures: new Uint32Array(2),
    queueSel: 0,
    status: 0,
    interruptStatus: 0,
    configGeneration: 0,
    shmSel: 0,
    queueNum: new Uint32Array(q),
    queueReady: new Uint8Array(q),
    queueDescLow: new Uint32Array(q),
    queueDescHigh: new Uint32Array(q),
    queueDriverLow: new Uint32Array(q),
    queueDriverHigh: new Uint32Array(q),
    queueDeviceLow: new Uint32Array(q),
    queueDeviceHigh: new Uint32Array(q),
    lastAvailIdx: new Uint16Array(q),
    usedIdx: new Uint16Array(q),
  };
  resetVirtioMmio(s);
  return s;
}

/**
 * The state after a device reset (the driver wrote 0 to Status, 4.2.3.1): everything zero.
 * ConfigGeneration survives, so a driver never sees the same generation for different
 * contents.
 */
export function resetVirtioMmio(s: VirtioMmioState): void {
  s.deviceFeaturesSel = 0;
  s.driverFeaturesSel = 0;
  s.driverFeatures.fill(0);
  s.queueSel = 0;
  s.status = 0;
  s.interruptStatus = 0;
  s.shmSel = 0;
  s.queueNum.fill(0);
  s.queueReady.fill(0);
  s.queueDescLow.fill(0);
  s.queueDescHigh.fill(0);
  s.queueDriverLow.fill(0);
  s.queueDriverHigh.fill(0);
  s.queueDeviceLow.fill(0);
  s.queueDeviceHigh.fill(0);
  s.lastAvailIdx.fill(0);
  s.usedIdx.fill(0);
}
