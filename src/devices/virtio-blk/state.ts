/**
 * Guest-visible state of virtio-blk beyond the transport: none, since the config space is
 * derived from the backend and requests in flight are drained before saving. What is kept
 * are the I/O counters the UI shows; they migrate so the numbers continue.
 */
export interface VirtioBlkState {
  /** Completed read (IN) requests. */
  reads: number;
  /** Completed write (OUT) requests. */
  writes: number;
  flushes: number;
  bytesRead: number;
  bytesWritten: number;
  /** Requests answered with IOERR or UNSUPP. */
  errors: number;
}

export function createVirtioBlkState(): VirtioBlkState {
  const s: VirtioBlkState = { reads: 0, writes: 0, flushes: 0, bytesRead: 0, bytesWritten: 0, errors: 0 };
  resetVirtioBlk(s);
  return s;
}

/** Machine reset: counters start again. (A driver reset through Status = 0 keeps them.) */
export function resetVirtioBlk(s: VirtioBlkState): void {
  s.reads = 0;
  s.writes = 0;
  s.flushes = 0;
  s.bytesRead = 0;
  s.bytesWritten = 0;
  s.errors = 0;
}
