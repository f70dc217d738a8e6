/**
 * What the stream hashes of integrity versions 2 and 3 share: the stream is read as 32-bit
 * little-endian words whatever the chunking; bytes of a word split across chunks wait in a
 * carry, whole runs of words go to the hash in bulk; the digest folds in the unfinished last
 * word (zero-padded) and the byte length with the same multiply-xor step.
 */

/** Odd multiplier (2^32 / golden ratio). */
export const K = 0x9e3779b1;

/** One multiply-xor step: for a fixed `h` a bijection of `w`, for a fixed `w` a bijection of `h`. */
export function mix(h: number, w: number): number {
  h = Math.imul(h ^ w, K);
  return h ^ (h >>> 15);
}

export abstract class WordStreamHash {
  private length = 0;
  /** Bytes of an unfinished word (little-endian) and how many there are (0–3). */
  private carry = 0;
  private carryBytes = 0;

  /** Folds the next `bytes` of the stream in. */
  update(bytes: Uint8Array): void {
    const n = bytes.length;
    this.length += n;
    let i = 0;
    while (this.carryBytes !== 0 && i < n) this.pushByte(bytes[i++]!);
    const words = (n - i) >>> 2;
    if (words > 0) {
      this.foldWords(bytes, i, words);
      i += words * 4;
    }
    while (i < n) this.pushByte(bytes[i++]!);
  }

  /** The digest of everything folded in so far (the state is unchanged: more may follow). */
  digest(): number {
    let h = this.state();
    if (this.carryBytes !== 0) h = mix(h, this.carry);
    h = mix(h, this.length % 2 ** 32);
    h = mix(h, Math.floor(this.length / 2 ** 32));
    return h >>> 0;
  }

  /** Folds the next whole word. */
  protected abstract foldWord(w: number): void;
  /** Folds `words` whole little-endian words of `bytes` starting at index `from` (any alignment). */
  protected abstract foldWords(bytes: Uint8Array, from: number, words: number): void;
  /** The hash state of the whole words so far, as one value. */
  protected abstract state(): number;

  private pushByte(b: number): void {
    this.carry |= b << (8 * this.carryBytes);
    if (++this.carryBytes === 4) {
      this.foldWord(this.carry);
      this.carry = 0;
      this.carryBytes = 0;
    }
  }
}

/**
 * The lane hashes of integrity versions 3 and 4: word `i` of the stream goes to lane
 * `i mod lanes` (a power of two), each lane a chain of `mix` steps from its seed; the state folds
 * the lanes in order from `foldSeed`. Subclasses fold whole runs of words their own fast way.
 */
export abstract class LanedHash extends WordStreamHash {
  protected readonly lanes: Int32Array;
  /** Whole words folded in so far (the lane of the next is `words mod lanes`). */
  protected words = 0;

  constructor(
    laneSeeds: ArrayLike<number>,
    private readonly foldSeed: number,
  ) {
    super();
    this.lanes = Int32Array.from(laneSeeds);
  }

  protected state(): number {
    let h = this.foldSeed;
    for (let j = 0; j < this.lanes.length; j++) h = mix(h, this.lanes[j]!);
    return h;
  }

  protected foldWord(w: number): void {
    const lane = this.words & (this.lanes.length - 1);
    this.lanes[lane] = mix(this.lanes[lane]!, w);
    this.words++;
  }
}
