/**
 * An in-memory block backend over a Uint8Array, completing synchronously. With
 * `copyOnWrite`, the base image is never modified: written 64 KiB chunks are copied into
 * an overlay first (so one downloaded image can back several VMs, and a reset can drop the
 * overlay). Pure and deterministic (no host API), so it lives beside the BlockBackend contract;
 * used by tests, the Node CLI and the browser worker.
 */
import type { BlockBackend } from './backend.ts';

export interface MemoryBlockOptions {
  readonly readOnly?: boolean;
  readonly copyOnWrite?: boolean;
}

export const CHUNK_SIZE = 0x1_0000;

export class MemoryBlockBackend implements BlockBackend {
  readonly sizeBytes: number;
  readonly readOnly: boolean;
  /** Bytes per overlay chunk (the unit a snapshot saves). */
  readonly overlayChunkSize = CHUNK_SIZE;
  private readonly cow: boolean;
  /** Chunk index → private copy of that chunk (copy-on-write mode only). */
  private readonly overlay = new Map<number, Uint8Array>();
  flushes = 0;

  constructor(
    private readonly image: Uint8Array,
    options: MemoryBlockOptions = {},
  ) {
    this.sizeBytes = image.length;
    this.readOnly = options.readOnly ?? false;
    this.cow = options.copyOnWrite ?? false;
  }

  read(offset: number, dst: Uint8Array, done: (ok: boolean) => void): void {
    if (!this.fits(offset, dst.length)) return done(false);
    this.copy(offset, dst.length, (chunk, chunkOff, pos, n) => dst.set(chunk.subarray(chunkOff, chunkOff + n), pos));
    done(true);
  }

  write(offset: number, src: Uint8Array, done: (ok: boolean) => void): void {
    if (this.readOnly || !this.fits(offset, src.length)) return done(false);
    if (!this.cow) {
      this.image.set(src, offset);
      return done(true);
    }
    this.copy(offset, src.length, (chunk, chunkOff, pos, n) => chunk.set(src.subarray(pos, pos + n), chunkOff), true);
    done(true);
  }

  flush(done: (ok: boolean) => void): void {
    this.flushes++;
    done(true);
  }

  /** Number of 64 KiB chunks copied into the overlay so far (copy-on-write mode). */
  get overlayChunks(): number {
    return this.overlay.size;
  }

  /** Whether writes go to an overlay (the base image is never modified). */
  get copyOnWrite(): boolean {
    return this.cow;
  }

  /** The overlay as (chunk index, bytes) in index order; the arrays are the live chunks, not copies. */
  overlayEntries(): [number, Uint8Array][] {
    return [...this.overlay.entries()].sort((a, b) => a[0] - b[0]);
  }

  /**
   * Replaces the overlay (a restored snapshot): chunk `i` must hold exactly the bytes the base
   * image has at that chunk. The arrays are taken over, not copied. Throws on a bad entry (the
   * caller checked them; this is a bug guard).
   */
  replaceOverlay(entries: Iterable<readonly [number, Uint8Array]>): void {
    if (!this.cow) throw new Error('replaceOverlay on a disk that is not copy-on-write');
    const next = new Map<number, Uint8Array>();
    for (const [idx, bytes] of entries) {
      if (bytes.length !== this.chunkBytes(idx)) throw new RangeError(`overlay chunk ${idx} of ${bytes.length} bytes`);
      next.set(idx, bytes);
    }
    this.overlay.clear();
    for (const [idx, bytes] of next) this.overlay.set(idx, bytes);
  }

  /** Size of chunk `idx` (the last one may be short); 0 outside the disk. */
  chunkBytes(idx: number): number {
    if (!Number.isInteger(idx) || idx < 0) return 0;
    return Math.max(0, Math.min(CHUNK_SIZE, this.sizeBytes - idx * CHUNK_SIZE));
  }

  private fits(offset: number, len: number): boolean {
    return Number.isInteger(offset) && offset >= 0 && offset + len <= this.sizeBytes;
  }

  /** Visits `[offset, offset + len)` as pieces of chunks (the overlay copy where present). */
  private copy(
    offset: number,
    len: number,
    visit: (chunk: Uint8Array, chunkOff: number, pos: number, n: number) => void,
    forWrite = false,
  ): void {
    if (!this.cow) {
      visit(this.image.subarray(offset, offset + len), 0, 0, len);
      return;
    }
    for (let pos = 0; pos < len; ) {
      const at = offset + pos;
      const idx = Math.floor(at / CHUNK_SIZE);
      const chunkOff = at % CHUNK_SIZE;
      const n = Math.min(CHUNK_SIZE - chunkOff, len - pos);
      let chunk = this.overlay.get(idx);
      if (!chunk) {
        const start = idx * CHUNK_SIZE;
        const base = this.image.subarray(start, Math.min(start + CHUNK_SIZE, this.sizeBytes));
        if (forWrite) this.overlay.set(idx, (chunk = base.slice()));
        else chunk = base;
      }
      visit(chunk, chunkOff, pos, n);
      pos += n;
    }
  }
}
