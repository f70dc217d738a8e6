/**
 * Test harness: a register file laid out like the hart's (x and f as Int32Array pairs, float
 * views over f's buffer), instruction encoders, and bit-level register accessors.
 */
import { execFp } from '../index.ts';

export const OP_FP = 0x53;
export const MADD = 0x43;
export const MSUB = 0x47;
export const NMSUB = 0x4b;
export const NMADD = 0x4f;

export function opFp(funct5: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number): number {
  return ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | OP_FP) >>> 0;
}

export function r4(opcode: number, rs3: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
}

export class Hart {
  readonly x = new Int32Array(64);
  readonly f = new Int32Array(64);
  readonly fd = new Float64Array(this.f.buffer);
  readonly fs = new Float32Array(this.f.buffer);
  frm = 0;

  exec(insn: number): number {
    return execFp(this.x, this.f, this.fd, this.fs, insn, this.frm);
  }

  setD(r: number, bits: bigint): void {
    this.f[2 * r] = Number(bits & 0xffffffffn) | 0;
    this.f[2 * r + 1] = Number((bits >> 32n) & 0xffffffffn) | 0;
  }

  getD(r: number): bigint {
    return (BigInt(this.f[2 * r + 1] >>> 0) << 32n) | BigInt(this.f[2 * r] >>> 0);
  }

  /** Writes a NaN-boxed single. */
  setS(r: number, bits: bigint): void {
    this.setD(r, 0xffffffff00000000n | bits);
  }

  /** The raw 64 bits of f register r, for singles including the box. */
  getRaw(r: number): bigint {
    return this.getD(r);
  }

  setX(r: number, v: bigint): void {
    this.x[2 * r] = Number(v & 0xffffffffn) | 0;
    this.x[2 * r + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }

  getX(r: number): bigint {
    return (BigInt(this.x[2 * r + 1] >>> 0) << 32n) | BigInt(this.x[2 * r] >>> 0);
  }
}

export function hex(v: bigint): string {
  return '0x' + v.toString(16);
}
