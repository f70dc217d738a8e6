/**
 * Names from the Virtio 1.2 specification, section 4.2 "Virtio Over MMIO" (register layout,
 * version 2 / "modern" only), 2.1 "Device Status Field", 6 "Reserved Feature Bits" and
 * 5 "Device Types". The driver accesses every register below `MmioReg.Config` as an aligned
 * 32-bit word (4.2.2.2).
 */

/** Register offsets of the MMIO transport (table 4.1 of the spec). */
export const enum MmioReg {
  MagicValue = 0x000,
  Version = 0x004,
  DeviceId = 0x008,
  VendorId = 0x00c,
  DeviceFeatures = 0x010,
  DeviceFeaturesSel = 0x014,
  DriverFeatures = 0x020,
  DriverFeaturesSel = 0x024,
  QueueSel = 0x030,
  QueueNumMax = 0x034,
  QueueNum = 0x038,
  QueueReady = 0x044,
  QueueNotify = 0x050,
  InterruptStatus = 0x060,
  InterruptAck = 0x064,
  Status = 0x070,
  QueueDescLow = 0x080,
  QueueDescHigh = 0x084,
  QueueDriverLow = 0x090,
  QueueDriverHigh = 0x094,
  QueueDeviceLow = 0x0a0,
  QueueDeviceHigh = 0x0a4,
  ShmSel = 0x0ac,
  ShmLenLow = 0x0b0,
  ShmLenHigh = 0x0b4,
  ShmBaseLow = 0x0b8,
  ShmBaseHigh = 0x0bc,
  ConfigGeneration = 0x0fc,
  /** Device-specific configuration space starts here. */
  Config = 0x100,
}

/** "virt" in little-endian ASCII. */
export const VIRTIO_MMIO_MAGIC = 0x74726976;
/** Version 2 is the modern (virtio 1.x) MMIO interface; version 1 is legacy and not offered. */
export const VIRTIO_MMIO_VERSION = 2;
/** "QEMU" in little-endian ASCII, the vendor ID QEMU reports (Linux does not interpret it). */
export const VIRTIO_MMIO_VENDOR_ID = 0x554d4551;
/** Size of one virtio-mmio window on the `virt` board. */
export const VIRTIO_MMIO_WINDOW_SIZE = 0x1000;
/** A shared-memory region length of all ones means "no such region" (4.2.2, SHMLen). */
export const SHM_LEN_NONE = 0xffff_ffff;

/** Device Status bits (2.1). */
export const enum DeviceStatus {
  Acknowledge = 1,
  Driver = 2,
  DriverOk = 4,
  FeaturesOk = 8,
  DeviceNeedsReset = 0x40,
  Failed = 0x80,
}

/** InterruptStatus / InterruptACK bits (4.2.2). */
export const enum InterruptBit {
  /** The device used a buffer in at least one of the active virtqueues. */
  UsedBuffer = 1,
  /** The device configuration changed (or the device needs a reset). */
  ConfigChange = 2,
}

/** Device-independent feature bits (6). Bit numbers, not masks. */
export const enum VirtioFeature {
  RingIndirectDesc = 28,
  RingEventIdx = 29,
  Version1 = 32,
  AccessPlatform = 33,
  RingPacked = 34,
}

/** Device IDs (5). 0 marks an unpopulated slot: Linux's probe returns -ENODEV for it. */
export const enum VirtioDeviceId {
  None = 0,
  Net = 1,
  Block = 2,
  Entropy = 4,
}

/** Mask of one feature bit as a bigint (features are a 64-bit set). */
export function featureBit(bit: number): bigint {
  return 1n << BigInt(bit);
}
