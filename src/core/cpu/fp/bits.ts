/**
 * Bit-level helpers shared by the fast paths: a scratch buffer to see a number's bits, the
 * neighbouring float in a direction, NaN classification and BigInt bridges for the exact path.
 */
import { CANONICAL_NAN_S, NAN_BOX_HI } from './constants.ts';

const scratch = new ArrayBuffer(8);
const sf64 = new Float64Array(scratch);
const sf32 = new Float32Array(scratch);
const si32 = new Int32Array(scratch);

/** The double next to z (z finite, non-zero) towards +∞ when dir > 0, towards -∞ when dir < 0. */
export function nextDouble(z: number, dir: number): number {
  sf64[0] = z;
  if (z > 0 === dir > 0) {
    const lo = (si32[0] + 1) | 0;
    si32[0] = lo;
    if (lo === 0) si32[1] = (si32[1] + 1) | 0;
  } else {
    const lo = si32[0];
    si32[0] = (lo - 1) | 0;
    if (lo === 0) si32[1] = (si32[1] - 1) | 0;
  }
  return sf64[0];
}

/** The single next to z (z a finite, non-zero float32 value) in direction dir. */
export function nextSingle(z: number, dir: number): number {
  sf32[0] = z;
  si32[0] = (si32[0] + (z > 0 === dir > 0 ? 1 : -1)) | 0;
  return sf32[0];
}

/** Whether the last significand bit of double z is 0. */
export function isEvenDouble(z: number): boolean {
  sf64[0] = z;
  return (si32[0] & 1) === 0;
}

/** The raw bits of a single register after unboxing (spec 12.2): invalid boxes read as qNaN. */
export function unboxedBits(f: Int32Array, r: number): number {
  return f[2 * r + 1] === NAN_BOX_HI ? f[2 * r] : CANONICAL_NAN_S;
}

/** The value of a single register after unboxing, as a JS number (exact). */
export function unboxedValue(f: Int32Array, fs: Float32Array, r: number): number {
  return f[2 * r + 1] === NAN_BOX_HI ? fs[2 * r] : NaN;
}

export function isSignalingS(bits: number): boolean {
  return (bits & 0x7fc00000) === 0x7f800000 && (bits & 0x003fffff) !== 0;
}

export function isSignalingD(hi: number, lo: number): boolean {
  return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x0007ffff) | lo) !== 0;
}

export function isNaNS(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}

export function isNaND(hi: number, lo: number): boolean {
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0x000fffff) | lo) !== 0;
}

export function big64(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function big32(bits: number): bigint {
  return BigInt(bits >>> 0);
}

/** Writes a 64-bit pattern into register pair r of an Int32Array register file. */
export function writeBig64(regs: Int32Array, r: number, v: bigint): void {
  regs[2 * r] = Number(v & 0xffffffffn) | 0;
  regs[2 * r + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
}

/** Writes a single's bit pattern, NaN-boxed. */
export function writeBoxed(f: Int32Array, r: number, bits: number): void {
  f[2 * r] = bits;
  f[2 * r + 1] = NAN_BOX_HI;
}
