/**
 * The C extension (unprivileged spec chapter 16, RV64C): every 16-bit instruction expands to the
 * 32-bit instruction it stands for. The interpreter expands through a 64 Ki-entry table built
 * once, so a compressed instruction costs one table read more than a full one.
 * An expansion of 0 means the encoding is illegal or reserved.
 */
import { OP } from './opcodes.ts';
import { encodeB, encodeI, encodeJ, encodeR, encodeS, encodeU } from './encode.ts';

const bits = (h: number, hi: number, lo: number) => (h >>> lo) & ((1 << (hi - lo + 1)) - 1);
const bit = (h: number, b: number) => (h >>> b) & 1;
const sext = (v: number, width: number) => (v << (32 - width)) >> (32 - width);
/** The 3-bit register fields of the CIW/CL/CS/CA/CB formats name x8–x15. */
const rp = (v: number) => v + 8;

const SP = 2;
const RA = 1;

export function expandCompressed(h: number): number {
  const quadrant = h & 3;
  const f3 = bits(h, 15, 13);
  const rd = bits(h, 11, 7);
  const rs2 = bits(h, 6, 2);
  const rdp = rp(bits(h, 4, 2));
  const rs1p = rp(bits(h, 9, 7));
  // CI-format 6-bit immediate imm[5] = h[12], imm[4:0] = h[6:2]
  const ciImm = sext((bit(h, 12) << 5) | bits(h, 6, 2), 6);
  const ciUimm = (bit(h, 12) << 5) | bits(h, 6, 2);
  // CL/CS offsets for word and doubleword accesses
  const offW = (bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
  const offD = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);

  switch (quadrant) {
    case 0:
      switch (f3) {
        case 0: {
          // C.ADDI4SPN: nzuimm[5:4|9:6|2|3]
          const imm = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
          return imm === 0 ? 0 : encodeI(OP.OP_IMM, rdp, 0, SP, imm);
        }
        case 1: return encodeI(OP.LOAD_FP, rdp, 3, rs1p, offD); // C.FLD
        case 2: return encodeI(OP.LOAD, rdp, 2, rs1p, offW); // C.LW
        case 3: return encodeI(OP.LOAD, rdp, 3, rs1p, offD); // C.LD
        case 5: return encodeS(OP.STORE_FP, 3, rs1p, rdp, offD); // C.FSD
        case 6: return encodeS(OP.STORE, 2, rs1p, rdp, offW); // C.SW
        case 7: return encodeS(OP.STORE, 3, rs1p, rdp, offD); // C.SD
        default: return 0;
      }
    case 1:
      switch (f3) {
        case 0: return encodeI(OP.OP_IMM, rd, 0, rd, ciImm); // C.ADDI / C.NOP
        case 1: return rd === 0 ? 0 : encodeI(OP.OP_IMM_32, rd, 0, rd, ciImm); // C.ADDIW
        case 2: return encodeI(OP.OP_IMM, rd, 0, 0, ciImm); // C.LI
        case 3: {
          if (rd === SP) {
            // C.ADDI16SP: nzimm[9|4|6|8:7|5]
            const imm = sext(
              (bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (bits(h, 4, 3) << 7) | (bit(h, 2) << 5),
              10,
            );
            return imm === 0 ? 0 : encodeI(OP.OP_IMM, SP, 0, SP, imm);
          }
          return ciImm === 0 ? 0 : encodeU(OP.LUI, rd, ciImm << 12); // C.LUI
        }
        case 4: {
          const rdq = rs1p;
          switch (bits(h, 11, 10)) {
            case 0: return encodeI(OP.OP_IMM, rdq, 5, rdq, ciUimm); // C.SRLI
            case 1: return encodeI(OP.OP_IMM, rdq, 5, rdq, ciUimm | 0x400); // C.SRAI
            case 2: return encodeI(OP.OP_IMM, rdq, 7, rdq, ciImm); // C.ANDI
            default: {
              const r2 = rdp;
              if (bit(h, 12) === 0) {
                switch (bits(h, 6, 5)) {
                  case 0: return encodeR(OP.OP, rdq, 0, rdq, r2, 0x20); // C.SUB
                  case 1: return encodeR(OP.OP, rdq, 4, rdq, r2, 0); // C.XOR
                  case 2: return encodeR(OP.OP, rdq, 6, rdq, r2, 0); // C.OR
                  default: return encodeR(OP.OP, rdq, 7, rdq, r2, 0); // C.AND
                }
              }
              switch (bits(h, 6, 5)) {
                case 0: return encodeR(OP.OP_32, rdq, 0, rdq, r2, 0x20); // C.SUBW
                case 1: return encodeR(OP.OP_32, rdq, 0, rdq, r2, 0); // C.ADDW
                default: return 0;
              }
            }
          }
        }
        case 5: {
          // C.J: offset[11|4|9:8|10|6|7|3:1|5]
          const imm = sext(
            (bit(h, 12) << 11) | (bit(h, 11) << 4) | (bits(h, 10, 9) << 8) | (bit(h, 8) << 10) |
              (bit(h, 7) << 6) | (bit(h, 6) << 7) | (bits(h, 5, 3) << 1) | (bit(h, 2) << 5),
            12,
          );
          return encodeJ(OP.JAL, 0, imm);
        }
        default: {
          // C.BEQZ / C.BNEZ: offset[8|4:3|7:6|2:1|5]
          const imm = sext(
            (bit(h, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (bit(h, 2) << 5),
            9,
          );
          return encodeB(OP.BRANCH, f3 === 6 ? 0 : 1, rs1p, 0, imm);
        }
      }
    case 2:
      switch (f3) {
        case 0: return encodeI(OP.OP_IMM, rd, 1, rd, ciUimm); // C.SLLI
        case 1: { // C.FLDSP: uimm[5|4:3|8:6]
          const imm = (bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
          return encodeI(OP.LOAD_FP, rd, 3, SP, imm);
        }
        case 2: { // C.LWSP: uimm[5|4:2|7:6]
          const imm = (bit(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
          return rd === 0 ? 0 : encodeI(OP.LOAD, rd, 2, SP, imm);
        }
        case 3: { // C.LDSP
          const imm = (bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
          return rd === 0 ? 0 : encodeI(OP.LOAD, rd, 3, SP, imm);
        }
        case 4:
          if (bit(h, 12) === 0) {
            if (rs2 === 0) return rd === 0 ? 0 : encodeI(OP.JALR, 0, 0, rd, 0); // C.JR
            return encodeR(OP.OP, rd, 0, 0, rs2, 0); // C.MV
          }
          if (rs2 === 0) {
            if (rd === 0) return 0x00100073; // C.EBREAK
            return encodeI(OP.JALR, RA, 0, rd, 0); // C.JALR
          }
          return encodeR(OP.OP, rd, 0, rd, rs2, 0); // C.ADD
        case 5: { // C.FSDSP: uimm[5:3|8:6]
          const imm = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
          return encodeS(OP.STORE_FP, 3, SP, rs2, imm);
        }
        case 6: { // C.SWSP: uimm[5:2|7:6]
          const imm = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
          return encodeS(OP.STORE, 2, SP, rs2, imm);
        }
        default: { // C.SDSP
          const imm = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
          return encodeS(OP.STORE, 3, SP, rs2, imm);
        }
      }
    default:
      return 0; // quadrant 3 is not a compressed instruction
  }
}

let table: Int32Array | undefined;

/**
 * What the table holds for an illegal compressed encoding: all ones, a 32-bit encoding whose
 * major opcode (0x7f) is reserved, so the interpreter's dispatch reaches its illegal case.
 */
export const ILLEGAL_EXPANSION = -1;

/** Every 16-bit pattern's expansion (ILLEGAL_EXPANSION when illegal), built on first use. */
export function compressedTable(): Int32Array {
  if (!table) {
    table = new Int32Array(65536);
    for (let h = 0; h < 65536; h++) table[h] = ((h & 3) === 3 ? 0 : expandCompressed(h)) || ILLEGAL_EXPANSION;
  }
  return table;
}
