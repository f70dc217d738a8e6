/**
 * Names from the RISC-V unprivileged spec, chapters "F" and "D" (fflags, frm, OP-FP encodings).
 */

/** fflags bits (spec 11.2 "Floating-Point Control and Status Register"). */
export const enum Flag {
  NX = 0x01,
  UF = 0x02,
  OF = 0x04,
  DZ = 0x08,
  NV = 0x10,
}

/** Rounding-mode encodings of the rm field and frm (spec table "Rounding mode encoding"). */
export const enum RoundingMode {
  RNE = 0,
  RTZ = 1,
  RDN = 2,
  RUP = 3,
  RMM = 4,
  /** rm = 7 in an instruction selects the frm CSR. */
  DYN = 7,
}

/** Major opcodes that reach execFp. */
export const enum FpOpcode {
  MADD = 0x43,
  MSUB = 0x47,
  NMSUB = 0x4b,
  NMADD = 0x4f,
  OP_FP = 0x53,
}

/** fmt field (insn[26:25]). */
export const enum FpFmt {
  S = 0,
  D = 1,
}

/** funct5 (insn[31:27]) of OP-FP. */
export const enum Funct5 {
  FADD = 0x00,
  FSUB = 0x01,
  FMUL = 0x02,
  FDIV = 0x03,
  FSGNJ = 0x04,
  FMINMAX = 0x05,
  FCVT_FMT_FMT = 0x08,
  FSQRT = 0x0b,
  FCMP = 0x14,
  FCVT_INT_FMT = 0x18,
  FCVT_FMT_INT = 0x1a,
  FMV_X_FCLASS = 0x1c,
  FMV_F_X = 0x1e,
}

/** rs2 field of FCVT between integer and float: the integer type. */
export const enum IntType {
  W = 0,
  WU = 1,
  L = 2,
  LU = 3,
}

/** Canonical NaNs (spec 11.3 "NaN Generation and Propagation"). */
export const CANONICAL_NAN_S = 0x7fc00000;
export const CANONICAL_NAN_D_HI = 0x7ff80000;
export const CANONICAL_NAN_D_LO = 0;

/** The upper word of a properly NaN-boxed single (spec 12.2 "NaN Boxing of Narrower Values"). */
export const NAN_BOX_HI = -1;

/** FCLASS result bits (spec table "Format of result of FCLASS instruction"). */
export const enum FClass {
  NEG_INF = 1 << 0,
  NEG_NORMAL = 1 << 1,
  NEG_SUBNORMAL = 1 << 2,
  NEG_ZERO = 1 << 3,
  POS_ZERO = 1 << 4,
  POS_SUBNORMAL = 1 << 5,
  POS_NORMAL = 1 << 6,
  POS_INF = 1 << 7,
  SIGNALING_NAN = 1 << 8,
  QUIET_NAN = 1 << 9,
}
