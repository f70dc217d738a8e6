/**
 * The stream checksum of integrity version 4: the multiply-xor step of versions 2 and 3
 * (word-stream.ts) in sixteen independent lanes, word `i` of the stream going to lane
 * `i mod 16`. Version 3's four lanes are one 128-bit vector in WebAssembly SIMD, which makes
 * them one chain of dependent multiplies; sixteen lanes are four vectors that the CPU runs side
 * by side (wide-hash-kernel.ts). Both ends of a migration hash every stream byte, and for an
 * idle 256 MiB guest (12 MiB of pages) version 3 took ~3 ms of each end's ~6 ms.
 *
 * Where WebAssembly SIMD is missing the same lanes are folded in JavaScript (`useKernel`
 * false), with the same digest. The guarantees are version 3's: within a lane every step is a
 * bijection of the word for a fixed state and of the state for a fixed word; the digest folds
 * the lanes, the unfinished last word and the byte length through bijective steps, so any one
 * changed word changes it; several changed words collide with probability about 2^-32. The
 * digest does not depend on how the stream was cut into chunks.
 */
import { wideHashKernel, type WideHashKernel } from './wide-hash-kernel.ts';
import { LanedHash, mix } from './word-stream.ts';

export const WIDE_LANES = 16;
const BLOCK_BYTES = WIDE_LANES * 4;
/** "tab4": lane j starts at mix(SEED, j), the digest's fold at SEED. */
const SEED = 0x74616234;
const LANE_SEEDS = Int32Array.from({ length: WIDE_LANES }, (_, j) => mix(SEED, j));

export class WideHash extends LanedHash {
  private readonly kernel: WideHashKernel | undefined;

  /** `useKernel` false folds in JavaScript only (for tests and comparison). */
  constructor(useKernel = true) {
    super(LANE_SEEDS, SEED);
    this.kernel = useKernel ? wideHashKernel() : undefined;
  }

  protected foldWords(bytes: Uint8Array, from: number, words: number): void {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let k = 0;
    // Single words up to the next lane-0 word, whole blocks of sixteen, then the rest.
    for (; (this.words & (WIDE_LANES - 1)) !== 0 && k < words; k++) this.foldWord(v.getInt32(from + k * 4, true));
    const blocks = Math.floor((words - k) / WIDE_LANES);
    if (blocks > 0) {
      const at = from + k * 4;
      if (this.kernel) this.kernel.fold(this.lanes, bytes, at, blocks);
      else foldBlocks(this.lanes, v, at, blocks);
      k += blocks * WIDE_LANES;
      this.words += blocks * WIDE_LANES;
    }
    for (; k < words; k++) this.foldWord(v.getInt32(from + k * 4, true));
  }
}

/** `blocks` blocks of sixteen little-endian words from byte `at` of `v`, in JavaScript. */
function foldBlocks(lanes: Int32Array, v: DataView, at: number, blocks: number): void {
  for (let b = 0; b < blocks; b++, at += BLOCK_BYTES) {
    for (let j = 0; j < WIDE_LANES; j++) lanes[j] = mix(lanes[j]!, v.getInt32(at + j * 4, true));
  }
}
