/**
 * Payload buffers as a wire wants them. Posting a `subarray` structured-clones its whole
 * underlying buffer (REFERENCE "Moving bytes between tabs"), and transferring one would detach
 * bytes the caller still uses, so a view that does not cover its whole ArrayBuffer is copied.
 */

/** `bytes` itself when it spans its whole (non-shared) ArrayBuffer, else a copy that does. */
export function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return bytes as Uint8Array<ArrayBuffer>;
  }
  return bytes.slice();
}
