export { VirtioBlk, type VirtioBlkOptions } from './virtio-blk.ts';
export type { BlockBackend } from './backend.ts';
export { createVirtioBlkState, resetVirtioBlk, type VirtioBlkState } from './state.ts';
export {
  BLK_MAX_REQUEST_BYTES,
  BLK_QUEUE_SIZE,
  BLK_SEG_MAX,
  BLK_SIZE_MAX,
  BlkConfig,
  BlkFeature,
  BlkReqHeader,
  BlkReqType,
  BlkStatus,
  SECTOR_SIZE,
  VIRTIO_BLK_ID_BYTES,
} from './regs.ts';
export { virtioBlkDescription } from './description.ts';
export { MemoryBlockBackend, type MemoryBlockOptions } from './memory-backend.ts';
