/**
 * The stream checksum of integrity version 2: a multiply-xor hash over the stream's 32-bit
 * little-endian words, several times faster than CRC-32 in JavaScript (it reads whole words
 * through an Int32Array instead of table lookups per byte).
 *
 * Each word goes through `h = xorshift(imul(h ^ w, K))`: for a fixed state every step is a
 * bijection of the word, and for a fixed word a bijection of the state, so changing any one
 * word (or appending, dropping or reordering bytes, which also changes the length) always
 * changes the digest; several changed words collide with probability about 2^-32, as with
 * CRC-32. The trailing 1–3 bytes form a zero-padded last word, and the byte length is mixed
 * in at the end. Incremental: the digest does not depend on how the stream was cut into chunks.
 */

import { K, mix, WordStreamHash } from './word-stream.ts';

const SEED = 0x7461626d; // "tabm"
/** Words hashed from a scratch copy at a time when a chunk does not start 4-aligned. */
const SCRATCH_WORDS = 16 << 10;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

export class WordHash extends WordStreamHash {
  private h = SEED;
  private scratch: Int32Array | undefined;

  protected state(): number {
    return this.h;
  }

  protected foldWord(w: number): void {
    this.h = mix(this.h, w);
  }

  protected foldWords(bytes: Uint8Array, from: number, words: number): void {
    const at = bytes.byteOffset + from;
    if (LITTLE_ENDIAN && at % 4 === 0) this.h = hashWords(this.h, new Int32Array(bytes.buffer, at, words), words);
    else this.hashUnaligned(bytes, from, words);
  }

  /** Words at an unaligned offset (or on a big-endian host): copied little-endian into a scratch buffer first. */
  private hashUnaligned(bytes: Uint8Array, from: number, words: number): void {
    const scratch = (this.scratch ??= new Int32Array(SCRATCH_WORDS));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const scratchBytes = new Uint8Array(scratch.buffer);
    for (let done = 0; done < words; ) {
      const k = Math.min(SCRATCH_WORDS, words - done);
      const at = from + done * 4;
      if (LITTLE_ENDIAN) scratchBytes.set(bytes.subarray(at, at + k * 4));
      else for (let j = 0; j < k; j++) scratch[j] = view.getInt32(at + j * 4, true);
      this.h = hashWords(this.h, scratch, k);
      done += k;
    }
  }
}

function hashWords(h: number, w: Int32Array, n: number): number {
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ w[i]!, K);
    h ^= h >>> 15;
  }
  return h;
}
