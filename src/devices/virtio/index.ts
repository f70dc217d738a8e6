export { VirtioMmio } from './virtio-mmio.ts';
export { EmptyVirtioSlot } from './empty-slot.ts';
export { createVirtioMmioState, resetVirtioMmio, VIRTIO_MAX_QUEUES, type VirtioMmioState } from './state.ts';
export { readConfigBytes, type VirtioDevice, type VirtioHost, type VirtioRequest } from './device.ts';
export {
  DeviceStatus,
  featureBit,
  InterruptBit,
  MmioReg,
  SHM_LEN_NONE,
  VIRTIO_MMIO_MAGIC,
  VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VERSION,
  VIRTIO_MMIO_WINDOW_SIZE,
  VirtioDeviceId,
  VirtioFeature,
} from './regs.ts';
export {
  gather,
  scatter,
  VIRTQ_MAX_SIZE,
  VirtqDescFlag,
  type DescChain,
  type Segment,
} from './virtqueue.ts';
export { virtioMmioDescription } from './description.ts';
