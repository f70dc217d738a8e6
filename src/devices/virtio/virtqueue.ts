/**
 * Split virtqueues (Virtio 1.2, 2.7) over guest memory: where the three areas live, how the
 * device takes a descriptor chain from the available ring, walks it, and returns it through
 * the used ring. Every guest mistake comes back as a value (`VirtqError`), never a throw, and
 * every walk is bounded by the queue size, so a malicious chain cannot hang the device.
 *
 * Not implemented (and not offered): indirect descriptors, event index, packed rings.
 */
import type { GuestMemory } from '../../core/bus/guest-memory.ts';

/** Descriptor flags (2.7.5). */
export const enum VirtqDescFlag {
  Next = 1,
  Write = 2,
  Indirect = 4,
}

/** struct virtq_desc { le64 addr; le32 len; le16 flags; le16 next; } */
export const VirtqDesc = {
  Addr: 0,
  Len: 8,
  Flags: 12,
  Next: 14,
  Size: 16,
} as const;

/** struct virtq_avail { le16 flags; le16 idx; le16 ring[size]; le16 used_event; } */
export const VirtqAvail = {
  Flags: 0,
  Idx: 2,
  Ring: 4,
  ElemSize: 2,
} as const;

/** struct virtq_used { le16 flags; le16 idx; struct { le32 id; le32 len; } ring[size]; le16 avail_event; } */
export const VirtqUsed = {
  Flags: 0,
  Idx: 2,
  Ring: 4,
  ElemSize: 8,
  ElemId: 0,
  ElemLen: 4,
} as const;

/** avail->flags bit: the driver asks not to be interrupted (2.7.7, without EVENT_IDX). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** Largest queue size a split virtqueue may have (2.7). */
export const VIRTQ_MAX_SIZE = 32768;
/** Alignment requirements of the three areas (2.7, table "Virtqueue Part Alignment"). */
export const VIRTQ_DESC_ALIGN = 16;
export const VIRTQ_AVAIL_ALIGN = 2;
export const VIRTQ_USED_ALIGN = 4;
/** A chain's total length must stay below 2^32 bytes (2.7.5.1 / driver requirements). */
export const VIRTQ_MAX_CHAIN_BYTES = 0xffff_ffff;

/** Where one split virtqueue lives in guest memory. */
export interface SplitRing {
  readonly size: number;
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
}

/** A guest-physical buffer a descriptor points at (already checked to lie in RAM). */
export interface Segment {
  readonly addr: number;
  readonly len: number;
}

/** One descriptor chain: device-readable buffers first, then device-writable ones (2.7.4). */
export interface DescChain {
  readonly head: number;
  readonly readable: readonly Segment[];
  readonly writable: readonly Segment[];
  readonly readableBytes: number;
  readonly writableBytes: number;
}

/** A guest error found in a ring; the transport turns it into DEVICE_NEEDS_RESET. */
export interface VirtqError {
  readonly error: string;
}

export function isVirtqError(x: unknown): x is VirtqError {
  return typeof x === 'object' && x !== null && 'error' in x;
}

/** Bytes each area occupies for a queue of `size` entries (2.7, "Virtqueue Part Sizes"). */
export function descTableBytes(size: number): number {
  return VirtqDesc.Size * size;
}
export function availRingBytes(size: number): number {
  return VirtqAvail.Ring + VirtqAvail.ElemSize * size + 2;
}
export function usedRingBytes(size: number): number {
  return VirtqUsed.Ring + VirtqUsed.ElemSize * size + 2;
}

/** Checks a ring the driver is about to enable: size, alignment, every area inside RAM. */
export function checkRing(mem: GuestMemory, ring: SplitRing, sizeMax: number): VirtqError | null {
  const n = ring.size;
  if (n === 0 || n > sizeMax || (n & (n - 1)) !== 0) return { error: `queue size ${n} is not a power of two in [1, ${sizeMax}]` };
  if (ring.desc % VIRTQ_DESC_ALIGN || ring.avail % VIRTQ_AVAIL_ALIGN || ring.used % VIRTQ_USED_ALIGN)
    return { error: 'misaligned virtqueue area' };
  if (!mem.contains(ring.desc, descTableBytes(n))) return { error: 'descriptor table outside RAM' };
  if (!mem.contains(ring.avail, availRingBytes(n))) return { error: 'available ring outside RAM' };
  if (!mem.contains(ring.used, usedRingBytes(n))) return { error: 'used ring outside RAM' };
  return null;
}

/** avail->idx as the driver last published it. */
export function availIdx(mem: GuestMemory, ring: SplitRing): number {
  return mem.readU16(ring.avail + VirtqAvail.Idx);
}

/**
 * The head descriptor index at available-ring position `lastAvail`, or null when the ring
 * holds nothing new. An avail->idx more than `size` ahead of the device is a guest error.
 */
export function availHead(mem: GuestMemory, ring: SplitRing, lastAvail: number): number | null | VirtqError {
  const idx = availIdx(mem, ring);
  if (idx < 0) return { error: 'available ring outside RAM' };
  const pending = (idx - lastAvail) & 0xffff;
  if (pending === 0) return null;
  if (pending > ring.size) return { error: `avail->idx ${idx} is ${pending} entries ahead of the device` };
  const head = mem.readU16(ring.avail + VirtqAvail.Ring + VirtqAvail.ElemSize * (lastAvail % ring.size));
  if (head < 0) return { error: 'available ring outside RAM' };
  return head;
}

/**
 * Walks the chain starting at descriptor `head`. Bounded: a chain visiting more descriptors
 * than the queue has is a loop. Each buffer must lie in RAM, readable buffers must come
 * before writable ones, and INDIRECT is refused because it is not offered.
 */
export function walkChain(mem: GuestMemory, ring: SplitRing, head: number): DescChain | VirtqError {
  const readable: Segment[] = [];
  const writable: Segment[] = [];
  let readableBytes = 0;
  let writableBytes = 0;
  let i = head;
  for (let count = 0; ; count++) {
    if (count >= ring.size) return { error: `descriptor chain from ${head} is longer than the queue (loop)` };
    if (i >= ring.size) return { error: `descriptor index ${i} outside a queue of ${ring.size}` };
    const d = ring.desc + VirtqDesc.Size * i;
    const addr = mem.readU64(d + VirtqDesc.Addr);
    const len = mem.readU32(d + VirtqDesc.Len);
    const flags = mem.readU16(d + VirtqDesc.Flags);
    const next = mem.readU16(d + VirtqDesc.Next);
    if (addr < 0 || len < 0 || flags < 0 || next < 0) return { error: 'descriptor table outside RAM' };
    if (flags & VirtqDescFlag.Indirect) return { error: 'indirect descriptor without VIRTIO_F_INDIRECT_DESC' };
    if (!mem.contains(addr, len)) return { error: `buffer [${addr}, +${len}) outside RAM` };
    if (flags & VirtqDescFlag.Write) {
      writable.push({ addr, len });
      writableBytes += len;
    } else {
      if (writable.length > 0) return { error: 'device-readable descriptor after a device-writable one' };
      readable.push({ addr, len });
      readableBytes += len;
    }
    if (readableBytes + writableBytes > VIRTQ_MAX_CHAIN_BYTES) return { error: 'descriptor chain longer than 2^32 bytes' };
    if (!(flags & VirtqDescFlag.Next)) break;
    i = next;
  }
  return { head, readable, writable, readableBytes, writableBytes };
}

/** Writes used element {head, written} at position `usedIdx` and publishes used->idx = usedIdx + 1. */
export function pushUsed(mem: GuestMemory, ring: SplitRing, usedIdx: number, head: number, written: number): boolean {
  const elem = ring.used + VirtqUsed.Ring + VirtqUsed.ElemSize * (usedIdx % ring.size);
  return (
    mem.writeU32(elem + VirtqUsed.ElemId, head) &&
    mem.writeU32(elem + VirtqUsed.ElemLen, written) &&
    mem.writeU16(ring.used + VirtqUsed.Idx, (usedIdx + 1) & 0xffff)
  );
}

/** True when the driver set VIRTQ_AVAIL_F_NO_INTERRUPT. */
export function interruptSuppressed(mem: GuestMemory, ring: SplitRing): boolean {
  const flags = mem.readU16(ring.avail + VirtqAvail.Flags);
  return flags >= 0 && (flags & VIRTQ_AVAIL_F_NO_INTERRUPT) !== 0;
}

/**
 * Copies chain bytes starting `offset` bytes into `segs` out to `dst` (as far as both go);
 * returns the number of bytes copied. Segments were checked to be in RAM by `walkChain`.
 */
export function gather(mem: GuestMemory, segs: readonly Segment[], offset: number, dst: Uint8Array): number {
  let done = 0;
  for (const seg of segs) {
    if (done === dst.length) break;
    if (offset >= seg.len) {
      offset -= seg.len;
      continue;
    }
    const n = Math.min(seg.len - offset, dst.length - done);
    mem.read(seg.addr + offset, dst.subarray(done, done + n));
    done += n;
    offset = 0;
  }
  return done;
}

/** Copies `src` into the chain's `segs` starting `offset` bytes in; returns bytes copied. */
export function scatter(mem: GuestMemory, segs: readonly Segment[], offset: number, src: Uint8Array): number {
  let done = 0;
  for (const seg of segs) {
    if (done === src.length) break;
    if (offset >= seg.len) {
      offset -= seg.len;
      continue;
    }
    const n = Math.min(seg.len - offset, src.length - done);
    mem.write(seg.addr + offset, src.subarray(done, done + n));
    done += n;
    offset = 0;
  }
  return done;
}
