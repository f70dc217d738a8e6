/**
 * Big-endian byte writer and bounds-checked reader: the wire encoding of QEMU's migration
 * stream (`qemu_put_be32` and friends). 64-bit values are `bigint`, or a JS `number` for
 * integers below 2^53 (`u64n`); the reader refuses nothing by itself except running past
 * its end (`EndOfInput`), range checks belong to the callers that know the field.
 */
import { EndOfInput } from './errors.ts';

const TWO_32 = 2 ** 32;
const U64_MASK = (1n << 64n) - 1n;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private reserve(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < at + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.len = at + n;
    return at;
  }

  u8(v: number): void {
    checkRange(v, 0, 0xff, 'u8');
    const at = this.reserve(1); // reserve first: it may replace buf
    this.buf[at] = v;
  }

  u16(v: number): void {
    checkRange(v, 0, 0xffff, 'u16');
    const at = this.reserve(2);
    this.view.setUint16(at, v);
  }

  u32(v: number): void {
    checkRange(v, 0, 0xffffffff, 'u32');
    const at = this.reserve(4);
    this.view.setUint32(at, v);
  }

  i32(v: number): void {
    checkRange(v, -0x80000000, 0x7fffffff, 'i32');
    const at = this.reserve(4);
    this.view.setInt32(at, v);
  }

  /** An unsigned 64-bit value given as two 32-bit halves (any JS numbers; only the low 32 bits of each count). */
  u64Halves(hi: number, lo: number): void {
    const at = this.reserve(8);
    this.view.setUint32(at, hi >>> 0);
    this.view.setUint32(at + 4, lo >>> 0);
  }

  u64(v: bigint): void {
    if (v < 0n || v > U64_MASK) throw new RangeError(`u64 value ${v} out of range`);
    const at = this.reserve(8);
    this.view.setBigUint64(at, v);
  }

  i64(v: bigint): void {
    if (v !== BigInt.asIntN(64, v)) throw new RangeError(`i64 value ${v} out of range`);
    const at = this.reserve(8);
    this.view.setBigInt64(at, v);
  }

  /** A non-negative integer below 2^53 as a big-endian u64. */
  u64n(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`u64n value ${v} is not an integer in [0, 2^53)`);
    this.u64Halves(Math.floor(v / TWO_32), v % TWO_32);
  }

  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v);
  }

  bytes(src: Uint8Array): void {
    const at = this.reserve(src.length);
    this.buf.set(src, at);
  }

  /** `n` zero bytes. */
  zeros(n: number): void {
    const at = this.reserve(n);
    this.buf.fill(0, at, at + n);
  }

  /** A string with a one-byte length prefix (QEMU's idstr encoding). */
  str8(bytes: Uint8Array): void {
    if (bytes.length > 0xff) throw new RangeError(`string of ${bytes.length} bytes does not fit a u8 length`);
    this.u8(bytes.length);
    this.bytes(bytes);
  }

  /** Overwrites a byte already written (for back-patching). */
  patchU8(at: number, v: number): void {
    if (at < 0 || at >= this.len) throw new RangeError(`patch offset ${at} outside written bytes`);
    this.buf[at] = v;
  }

  /** The bytes written so far, as a view that later writes may invalidate. */
  peek(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Starts over, keeping the buffer (views from `peek` now see the new bytes). */
  reset(): void {
    this.len = 0;
  }

  /** Takes the bytes written so far (the writer lets go of them, no copy) and starts over. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(this.buf.length);
    this.view = new DataView(this.buf.buffer);
    this.len = 0;
    return out;
  }
}

function checkRange(v: number, min: number, max: number, kind: string): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${kind} value ${v} out of range`);
}

export class ByteReader {
  private readonly view: DataView;
  /** Position inside `bytes`. */
  pos: number;

  /**
   * @param bytes the input
   * @param base absolute offset of `bytes[0]` in the whole stream, for error messages
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly base = 0,
    start = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  /** Absolute offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private take(n: number): number {
    const at = this.pos;
    if (n > this.bytes.length - at) throw new EndOfInput(this.base + this.bytes.length, n - (this.bytes.length - at));
    this.pos = at + n;
    return at;
  }

  /** The next byte without consuming it; -1 at the end. */
  peekU8(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos]! : -1;
  }

  u8(): number {
    return this.bytes[this.take(1)]!;
  }

  u16(): number {
    return this.view.getUint16(this.take(2));
  }

  u32(): number {
    return this.view.getUint32(this.take(4));
  }

  i32(): number {
    return this.view.getInt32(this.take(4));
  }

  /** Reads a u64 as [hi, lo] unsigned 32-bit halves. */
  u64Halves(): [number, number] {
    const at = this.take(8);
    return [this.view.getUint32(at), this.view.getUint32(at + 4)];
  }

  u64(): bigint {
    return this.view.getBigUint64(this.take(8));
  }

  i64(): bigint {
    return this.view.getBigInt64(this.take(8));
  }

  f64(): number {
    return this.view.getFloat64(this.take(8));
  }

  /** A view of the next `n` bytes (not a copy: callers copy what they keep). */
  bytesView(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }

  skip(n: number): void {
    this.take(n);
  }

  /** A string with a one-byte length prefix, as raw bytes. */
  str8(): Uint8Array {
    return this.bytesView(this.u8());
  }
}
