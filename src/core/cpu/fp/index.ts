/**
 * The F and D extensions: one entry point, execFp, that the interpreter calls for OP-FP and the
 * R4 fused multiply-adds. Loads/stores (FLW/FLD/FSW/FSD) and the fcsr CSRs live in the CPU.
 */
import { unboxedBits, unboxedValue, writeBoxed } from './bits.ts';
import { type CmpOp, compareD, compareS, minMaxD, minMaxS } from './compare.ts';
import { FpFmt, FpOpcode, Funct5, IntType, RoundingMode } from './constants.ts';
import { doubleToSingle, floatToInt, intToFloat, singleToDouble } from './convert.ts';
import { SLOW, addD, divD, fmaD, mulD, sqrtD } from './fast-double.ts';
import { addS, divS, fmaS, mulS, sqrtS } from './fast-single.ts';
import { fclassD, fclassS, sgnjD, sgnjS } from './sign-class.ts';
import { slowArith, slowFma } from './slow.ts';

export { Flag, RoundingMode, NAN_BOX_HI } from './constants.ts';

/** execFp's result for an illegal instruction. */
export const ILLEGAL = -1;

/** The effective rounding mode, or ILLEGAL for reserved rm / invalid frm (spec 11.2). */
function effectiveRm(rm: number, frm: number): number {
  if (rm === RoundingMode.DYN) rm = frm;
  return rm <= RoundingMode.RMM ? rm : ILLEGAL;
}

/**
 * Executes one OP-FP (opcode 0x53) or R4 fused multiply-add (0x43 FMADD, 0x47 FMSUB, 0x4b FNMSUB,
 * 0x4f FNMADD) instruction, for fmt S (00) and D (01).
 * x:  integer registers, Int32Array(64): x[2r] = low 32 bits, x[2r+1] = high 32 bits of register r.
 *     Never write x[0]/x[1] (rd = 0 discards the result).
 * f:  FP registers as raw bits, Int32Array(64), same layout; fd = Float64Array(32) and
 *     fs = Float32Array(64) are views over the SAME ArrayBuffer. Singles are NaN-boxed.
 * frm: the current value of the frm CSR (0..7).
 * Returns -1 when the instruction is illegal; otherwise the exception flags it raised
 * (NV=0x10, DZ=0x08, OF=0x04, UF=0x02, NX=0x01, or 0), to be ORed into fflags.
 */
export function execFp(
  x: Int32Array, f: Int32Array, fd: Float64Array, fs: Float32Array, insn: number, frm: number,
): number {
  const fmt = (insn >>> 25) & 3;
  if (fmt > FpFmt.D) return ILLEGAL;
  const isDouble = fmt === FpFmt.D;
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const funct3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const funct5 = insn >>> 27;
  if (opcode !== FpOpcode.OP_FP) return execFma(f, fd, fs, opcode, rd, rs1, rs2, funct5, isDouble, effectiveRm(funct3, frm));
  switch (funct5) {
    case Funct5.FADD:
    case Funct5.FSUB:
    case Funct5.FMUL:
    case Funct5.FDIV:
    case Funct5.FSQRT: {
      if (funct5 === Funct5.FSQRT && rs2 !== 0) return ILLEGAL;
      const rm = effectiveRm(funct3, frm);
      if (rm === ILLEGAL) return ILLEGAL;
      let flags: number;
      if (isDouble) {
        const a = fd[rs1];
        const b = fd[rs2];
        switch (funct5) {
          case Funct5.FADD: flags = addD(fd, rd, a, b, rm); break;
          case Funct5.FSUB: flags = addD(fd, rd, a, -b, rm); break;
          case Funct5.FMUL: flags = mulD(fd, rd, a, b, rm); break;
          case Funct5.FDIV: flags = divD(fd, rd, a, b, rm); break;
          default: flags = sqrtD(fd, rd, a, rm);
        }
      } else {
        const a = unboxedValue(f, fs, rs1);
        const b = unboxedValue(f, fs, rs2);
        switch (funct5) {
          case Funct5.FADD: flags = addS(f, fs, rd, a, b, rm); break;
          case Funct5.FSUB: flags = addS(f, fs, rd, a, -b, rm); break;
          case Funct5.FMUL: flags = mulS(f, fs, rd, a, b, rm); break;
          case Funct5.FDIV: flags = divS(f, fs, rd, a, b, rm); break;
          default: flags = sqrtS(f, fs, rd, a, rm);
        }
      }
      return flags !== SLOW ? flags : slowArith(funct5, f, rd, rs1, rs2, isDouble, rm);
    }
    case Funct5.FSGNJ: {
      const ok = isDouble ? sgnjD(f, rd, rs1, rs2, funct3) : sgnjS(f, rd, rs1, rs2, funct3);
      return ok ? 0 : ILLEGAL;
    }
    case Funct5.FMINMAX:
      if (funct3 > 1) return ILLEGAL;
      return isDouble ? minMaxD(f, rd, rs1, rs2, funct3 === 1) : minMaxS(f, rd, rs1, rs2, funct3 === 1);
    case Funct5.FCMP:
      if (funct3 > 2) return ILLEGAL;
      return isDouble
        ? compareD(x, f, fd, rd, rs1, rs2, funct3 as CmpOp)
        : compareS(x, f, fs, rd, rs1, rs2, funct3 as CmpOp);
    case Funct5.FCVT_FMT_FMT: {
      // FCVT.S.D has fmt S and rs2 = D; FCVT.D.S has fmt D and rs2 = S.
      if (rs2 !== (isDouble ? FpFmt.S : FpFmt.D)) return ILLEGAL;
      const rm = effectiveRm(funct3, frm);
      if (rm === ILLEGAL) return ILLEGAL;
      return isDouble ? singleToDouble(f, fs, fd, rd, rs1) : doubleToSingle(f, fs, fd, rd, rs1, rm);
    }
    case Funct5.FCVT_INT_FMT: {
      if (rs2 > IntType.LU) return ILLEGAL;
      const rm = effectiveRm(funct3, frm);
      if (rm === ILLEGAL) return ILLEGAL;
      const v = isDouble ? fd[rs1] : unboxedValue(f, fs, rs1);
      return floatToInt(x, rd, v, rs2, rm);
    }
    case Funct5.FCVT_FMT_INT: {
      if (rs2 > IntType.LU) return ILLEGAL;
      const rm = effectiveRm(funct3, frm);
      if (rm === ILLEGAL) return ILLEGAL;
      return intToFloat(x, f, fd, fs, rd, rs1, rs2, isDouble, rm);
    }
    case Funct5.FMV_X_FCLASS: {
      if (rs2 !== 0 || funct3 > 1) return ILLEGAL;
      if (rd === 0) return 0;
      if (funct3 === 1) {
        x[2 * rd] = isDouble ? fclassD(f[2 * rs1 + 1], f[2 * rs1]) : fclassS(unboxedBits(f, rs1));
        x[2 * rd + 1] = 0;
      } else if (isDouble) {
        x[2 * rd] = f[2 * rs1];
        x[2 * rd + 1] = f[2 * rs1 + 1];
      } else {
        const lo = f[2 * rs1]; // FMV.X.W moves the raw bits, without unboxing
        x[2 * rd] = lo;
        x[2 * rd + 1] = lo >> 31;
      }
      return 0;
    }
    case Funct5.FMV_F_X:
      if (rs2 !== 0 || funct3 !== 0) return ILLEGAL;
      if (isDouble) {
        f[2 * rd] = x[2 * rs1];
        f[2 * rd + 1] = x[2 * rs1 + 1];
      } else {
        writeBoxed(f, rd, x[2 * rs1]);
      }
      return 0;
    default:
      return ILLEGAL;
  }
}

function execFma(
  f: Int32Array, fd: Float64Array, fs: Float32Array, opcode: number,
  rd: number, rs1: number, rs2: number, rs3: number, isDouble: boolean, rm: number,
): number {
  let negateProduct: boolean;
  let negateAddend: boolean;
  switch (opcode) {
    case FpOpcode.MADD: negateProduct = false; negateAddend = false; break;
    case FpOpcode.MSUB: negateProduct = false; negateAddend = true; break;
    case FpOpcode.NMSUB: negateProduct = true; negateAddend = false; break;
    case FpOpcode.NMADD: negateProduct = true; negateAddend = true; break;
    default: return ILLEGAL;
  }
  if (rm === ILLEGAL) return ILLEGAL;
  let flags: number;
  if (isDouble) {
    const a = fd[rs1];
    const c = fd[rs3];
    flags = fmaD(fd, rd, negateProduct ? -a : a, fd[rs2], negateAddend ? -c : c, rm);
  } else {
    const a = unboxedValue(f, fs, rs1);
    const c = unboxedValue(f, fs, rs3);
    flags = fmaS(f, fs, rd, negateProduct ? -a : a, unboxedValue(f, fs, rs2), negateAddend ? -c : c, rm);
  }
  return flags !== SLOW ? flags : slowFma(f, rd, rs1, rs2, rs3, negateProduct, negateAddend, isDouble, rm);
}
