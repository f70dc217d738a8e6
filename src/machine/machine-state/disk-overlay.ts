/**
 * The copy-on-write disk overlay as migrated state: the chunks the guest modified, each with
 * its index. The base image itself never travels: the configuration names it by sha256 and
 * the destination must have the same bytes. A snapshot cannot capture a disk written in
 * place (its changes are in the base image), so such a disk is a migration blocker.
 *
 * The overlay lives in the disk backend (src/devices/virtio-blk/memory-backend.ts); the machine sees it through the
 * structural `OverlayDisk` interface, so this layer does not import the host.
 */
import type { BlockBackend } from '../../devices/virtio-blk/index.ts';
import { describe, type Description } from '../../vmstate/index.ts';

/** What a disk backend offers for snapshots (MemoryBlockBackend implements it). */
export interface OverlayDisk extends BlockBackend {
  readonly copyOnWrite: boolean;
  readonly overlayChunkSize: number;
  /** (chunk index, live bytes) in index order. */
  overlayEntries(): [number, Uint8Array][];
  replaceOverlay(entries: Iterable<readonly [number, Uint8Array]>): void;
  /** Size of chunk `idx` (the last one may be short); 0 outside the disk. */
  chunkBytes(idx: number): number;
}

export function isOverlayDisk(d: BlockBackend): d is OverlayDisk {
  const o = d as Partial<OverlayDisk>;
  return typeof o.overlayEntries === 'function' && typeof o.replaceOverlay === 'function' && typeof o.chunkBytes === 'function';
}

export interface OverlayChunk {
  index: number;
  data: Uint8Array;
}

/** The wire view of a disk's overlay: filled from the backend before saving, applied to it after loading. */
export interface DiskOverlayState {
  chunks: OverlayChunk[];
}

export const DISK_OVERLAY_SECTION = 'disk-overlay';

const chunkDescription = (chunkSize: number) =>
  describe<OverlayChunk>({
    name: 'disk-overlay/chunk',
    version: 1,
    fields: (f) => [
      f.u32('index'),
      f.varBytes('data', {
        max: chunkSize,
        resize: (c, n) => {
          c.data = new Uint8Array(n);
        },
      }),
    ],
  });

/**
 * The overlay section of `disk`: a wire object whose `chunks` are read from the backend by
 * `preSave` and checked by `postLoad` (strictly increasing indices inside the disk, each of
 * its chunk's exact size); `applyDiskOverlay` hands the loaded chunks to the backend.
 */
export function diskOverlaySection(disk: OverlayDisk): { description: Description<DiskOverlayState>; state: DiskOverlayState } {
  const maxChunks = Math.ceil(disk.sizeBytes / disk.overlayChunkSize);
  const state: DiskOverlayState = { chunks: [] };
  const description = describe<DiskOverlayState>({
    name: DISK_OVERLAY_SECTION,
    version: 1,
    fields: (f) => [
      f.structVarArray('chunks', chunkDescription(disk.overlayChunkSize), {
        max: maxChunks,
        resize: (s, n) => {
          s.chunks = Array.from({ length: n }, () => ({ index: 0, data: new Uint8Array(0) }));
        },
      }),
    ],
    preSave: (s) => {
      s.chunks = disk.overlayEntries().map(([index, data]) => ({ index, data }));
    },
    postLoad: (s) => {
      let last = -1;
      for (let i = 0; i < s.chunks.length; i++) {
        const c = s.chunks[i]!;
        if (c.index <= last) return { field: `chunks[${i}].index`, message: `chunk ${c.index} after chunk ${last}` };
        if (c.index >= maxChunks) return { field: `chunks[${i}].index`, message: `chunk ${c.index} outside a ${maxChunks}-chunk disk` };
        if (c.data.length !== disk.chunkBytes(c.index))
          return { field: `chunks[${i}].data`, message: `${c.data.length} bytes for a ${disk.chunkBytes(c.index)}-byte chunk` };
        last = c.index;
      }
      return undefined;
    },
  });
  return { description, state };
}

/** After a successful load: the loaded chunks become the backend's overlay. */
export function applyDiskOverlay(disk: OverlayDisk, s: DiskOverlayState): void {
  disk.replaceOverlay(s.chunks.map((c) => [c.index, c.data] as const));
}

/** Bytes the overlay adds to a stream (for the device-state bound). */
export function overlayBytes(disk: OverlayDisk): number {
  let n = 0;
  for (const [, data] of disk.overlayEntries()) n += data.length;
  return n;
}
