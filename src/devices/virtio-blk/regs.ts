/** Names from Virtio 1.2, 5.2 "Block Device". */

/** Feature bits (5.2.3). Bit numbers. */
export const enum BlkFeature {
  SizeMax = 1,
  SegMax = 2,
  Geometry = 4,
  Ro = 5,
  BlkSize = 6,
  Flush = 9,
  Topology = 10,
  ConfigWce = 11,
  Mq = 12,
  Discard = 13,
  WriteZeroes = 14,
}

/** struct virtio_blk_config field offsets (5.2.4). */
export const BlkConfig = {
  Capacity: 0x00,
  SizeMax: 0x08,
  SegMax: 0x0c,
  /** Bytes of the config image exposed (through `blk_size`; fields not offered read 0). */
  Size: 0x18,
} as const;

/** struct virtio_blk_req header: le32 type; le32 reserved; le64 sector (5.2.6). */
export const BlkReqHeader = {
  Type: 0,
  Sector: 8,
  Size: 16,
} as const;

/** Request types (5.2.6). */
export const enum BlkReqType {
  In = 0,
  Out = 1,
  Flush = 4,
  GetId = 8,
  GetLifetime = 10,
  Discard = 11,
  WriteZeroes = 13,
}

/** The status byte the device writes last (5.2.6). */
export const enum BlkStatus {
  Ok = 0,
  IoErr = 1,
  Unsupp = 2,
}

/** Sector size: capacity and the request `sector` field count 512-byte units. */
export const SECTOR_SIZE = 512;
/** Length of the GET_ID answer (VIRTIO_BLK_ID_BYTES). */
export const VIRTIO_BLK_ID_BYTES = 20;
/** QueueNumMax of the request queue. */
export const BLK_QUEUE_SIZE = 256;
/** Segments per request: the queue minus header and status descriptors, as QEMU advertises. */
export const BLK_SEG_MAX = BLK_QUEUE_SIZE - 2;
/** Largest single data segment. */
export const BLK_SIZE_MAX = 0x1_0000;
/** Largest data transfer of one request; bigger requests fail with IOERR. */
export const BLK_MAX_REQUEST_BYTES = BLK_SEG_MAX * BLK_SIZE_MAX;
