/**
 * Host storage behind a virtio-blk device. Byte offsets and lengths are multiples of the
 * 512-byte sector. `done` may run synchronously inside the call or later (between time
 * slices); the device handles both. `ok = false` becomes VIRTIO_BLK_S_IOERR for the guest.
 */
export interface BlockBackend {
  readonly sizeBytes: number;
  readonly readOnly: boolean;
  read(offset: number, dst: Uint8Array, done: (ok: boolean) => void): void;
  write(offset: number, src: Uint8Array, done: (ok: boolean) => void): void;
  flush(done: (ok: boolean) => void): void;
}
