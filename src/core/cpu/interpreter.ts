/**
 * The interpreter: one flat dispatch on the major opcode (STYLE principle 8), registers as
 * lo/hi int32 pairs, TLB hits inline and everything else in named slow paths. Compressed
 * instructions are expanded through a table and run through the same switch.
 *
 * Guest exceptions are values: a case that faults sets `exc`/`tvLo`/`tvHi` and breaks; the one
 * trap exit after the switch enters the trap. x0 is enforced at one point: it is zeroed after
 * every instruction.
 */
import { CAUSE, PRIV } from '../isa/causes.ts';
import { MSTATUS } from '../isa/csr.ts';
import { OP } from '../isa/opcodes.ts';
import { compressedTable } from '../isa/rvc.ts';
import { csrLo, csrHi, csrRead, csrWrite } from './csr-file.ts';
import { execFp } from './fp/index.ts';
import type { Hart } from './hart.ts';
import { atomicAddress, fetchHalfSlow, fetchPage, loadSlow, storeSlow } from './mmu.ts';
import { div, divu, mul, mulh, mulhsu, mulhu, out } from './muldiv.ts';
import { mret, pendingInterrupt, sret, takeTrap } from './traps.ts';

const NO_TRAP = -1;
/** A code-page tag no page-aligned pc can equal: forces the next fetch to look the page up. */
const NO_PAGE = 1;

const enum SYS {
  ECALL = 0x00000073,
  EBREAK = 0x00100073,
  SRET = 0x10200073,
  MRET = 0x30200073,
  WFI = 0x10500073,
  SFENCE_VMA_FUNCT7 = 0x09,
}

export function run(h: Hart, budget: number): number {
  const s = h.state;
  const x = h.x;
  const f = h.f;
  const u8 = h.u8;
  const u16 = h.u16;
  const i32 = h.i32;
  const dirty = h.dirty;
  const rTagLo = h.rtlb.tagLo;
  const rTagHi = h.rtlb.tagHi;
  const rOff = h.rtlb.off;
  const wTagLo = h.wtlb.tagLo;
  const wTagHi = h.wtlb.tagHi;
  const wOff = h.wtlb.off;
  const rvc = compressedTable();

  const base = s.instret;
  let n = 0;
  let pcLo = s.pcLo;
  let pcHi = s.pcHi;
  // The code page the last fetch came from.
  let cpLo = NO_PAGE;
  let cpHi = 0;
  let cpOff = 0;
  h.stop = false;

  outer: while (n < budget) {
    if (h.irqCheck) {
      h.irqCheck = false;
      const irq = pendingInterrupt(h);
      if (irq >= 0) {
        s.wfi = false;
        s.pcLo = pcLo;
        s.pcHi = pcHi;
        takeTrap(h, irq, true, 0, 0);
        pcLo = s.pcLo;
        pcHi = s.pcHi;
        cpLo = NO_PAGE;
      }
    }
    if (s.wfi) {
      if ((h.mip() & s.mie) === 0) break;
      s.wfi = false;
    }

    while (n < budget) {
      let exc = NO_TRAP;
      let tvLo = 0;
      let tvHi = 0;
      let insn: number;
      let ilen: number;
      let bits: number;

      // ---- fetch ----
      if ((pcLo & -4096) !== cpLo || pcHi !== cpHi) {
        s.instret = base + n;
        const off = fetchPage(h, pcLo, pcHi);
        if (off >= 0) {
          cpLo = pcLo & -4096;
          cpHi = pcHi;
          cpOff = off;
        } else {
          cpLo = NO_PAGE;
        }
      }
      if (cpLo !== NO_PAGE) {
        const o = cpOff + (pcLo & 0xfff);
        bits = u16[o >>> 1]!;
        if ((bits & 3) === 3) {
          if ((pcLo & 0xfff) === 0xffe) {
            const pc2 = (pcLo + 2) | 0;
            const upper = fetchHalfSlow(h, pc2, (pcHi + ((pc2 >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0);
            if (upper < 0) {
              exc = h.exc;
              tvLo = h.excTvalLo;
              tvHi = h.excTvalHi;
              h.exc = NO_TRAP;
              insn = 0;
              ilen = 4;
            } else {
              bits = (bits | (upper << 16)) | 0;
              insn = bits;
              ilen = 4;
            }
          } else {
            bits = (bits | (u16[(o >>> 1) + 1]! << 16)) | 0;
            insn = bits;
            ilen = 4;
          }
        } else {
          insn = rvc[bits]!;
          ilen = 2;
        }
      } else if (h.exc >= 0) {
        // Fetch fault (page fault or access fault).
        exc = h.exc;
        tvLo = h.excTvalLo;
        tvHi = h.excTvalHi;
        h.exc = NO_TRAP;
        insn = 0;
        ilen = 4;
        bits = 0;
      } else {
        // Executable memory that is not RAM (the boot ROM): fetch through the bus.
        bits = fetchHalfSlow(h, pcLo, pcHi);
        if (bits >= 0 && (bits & 3) === 3) {
          const pc2 = (pcLo + 2) | 0;
          const upper = fetchHalfSlow(h, pc2, (pcHi + ((pc2 >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0);
          bits = upper < 0 ? -1 : (bits | (upper << 16)) | 0;
        }
        if (bits === -1 && h.exc >= 0) {
          exc = h.exc;
          tvLo = h.excTvalLo;
          tvHi = h.excTvalHi;
          h.exc = NO_TRAP;
          insn = 0;
          ilen = 4;
        } else if ((bits & 3) === 3) {
          insn = bits;
          ilen = 4;
        } else {
          insn = rvc[bits & 0xffff]!;
          ilen = 2;
        }
      }

      let nextLo = (pcLo + ilen) | 0;
      let nextHi = (nextLo >>> 0) < (pcLo >>> 0) ? (pcHi + 1) | 0 : pcHi;
      const rd = ((insn >>> 7) & 31) << 1;
      const r1 = ((insn >>> 15) & 31) << 1;
      const r2 = ((insn >>> 20) & 31) << 1;
      const f3 = (insn >>> 12) & 7;

      if (exc === NO_TRAP) {
        switch (insn & 0x7f) {
          case OP.OP_IMM: {
            const imm = insn >> 20;
            const aLo = x[r1]!;
            const aHi = x[r1 + 1]!;
            switch (f3) {
              case 0: { // ADDI
                const lo = (aLo + imm) | 0;
                x[rd + 1] = (aHi + (imm >> 31) + ((lo >>> 0) < (aLo >>> 0) ? 1 : 0)) | 0;
                x[rd] = lo;
                break;
              }
              case 1: { // SLLI
                if (insn >>> 26 !== 0) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
                const sh = imm & 63;
                if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                else if (sh < 32) { x[rd + 1] = (aHi << sh) | (aLo >>> (32 - sh)); x[rd] = aLo << sh; }
                else { x[rd + 1] = aLo << (sh - 32); x[rd] = 0; }
                break;
              }
              case 2: { // SLTI
                const bHi = imm >> 31;
                x[rd] = aHi < bHi || (aHi === bHi && (aLo >>> 0) < (imm >>> 0)) ? 1 : 0;
                x[rd + 1] = 0;
                break;
              }
              case 3: { // SLTIU
                const bHi = (imm >> 31) >>> 0;
                x[rd] = aHi >>> 0 < bHi || (aHi >>> 0 === bHi && (aLo >>> 0) < (imm >>> 0)) ? 1 : 0;
                x[rd + 1] = 0;
                break;
              }
              case 4: x[rd] = aLo ^ imm; x[rd + 1] = aHi ^ (imm >> 31); break; // XORI
              case 5: { // SRLI / SRAI
                const f6 = insn >>> 26;
                const sh = imm & 63;
                if (f6 === 0) {
                  if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                  else if (sh < 32) { x[rd] = (aLo >>> sh) | (aHi << (32 - sh)); x[rd + 1] = aHi >>> sh; }
                  else { x[rd] = aHi >>> (sh - 32); x[rd + 1] = 0; }
                } else if (f6 === 0x10) {
                  if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                  else if (sh < 32) { x[rd] = (aLo >>> sh) | (aHi << (32 - sh)); x[rd + 1] = aHi >> sh; }
                  else { x[rd] = aHi >> (sh - 32); x[rd + 1] = aHi >> 31; }
                } else exc = CAUSE.ILLEGAL_INSTRUCTION;
                break;
              }
              case 6: x[rd] = aLo | imm; x[rd + 1] = aHi | (imm >> 31); break; // ORI
              default: x[rd] = aLo & imm; x[rd + 1] = aHi & (imm >> 31); break; // ANDI
            }
            break;
          }

          case OP.LUI: {
            const lo = insn & 0xfffff000;
            x[rd] = lo;
            x[rd + 1] = lo >> 31;
            break;
          }

          case OP.AUIPC: {
            const imm = insn & 0xfffff000;
            const lo = (pcLo + imm) | 0;
            x[rd + 1] = (pcHi + (imm >> 31) + ((lo >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
            x[rd] = lo;
            break;
          }

          case OP.OP: {
            const aLo = x[r1]!;
            const aHi = x[r1 + 1]!;
            const bLo = x[r2]!;
            const bHi = x[r2 + 1]!;
            const f7 = insn >>> 25;
            if (f7 === 0) {
              switch (f3) {
                case 0: { // ADD
                  const lo = (aLo + bLo) | 0;
                  x[rd + 1] = (aHi + bHi + ((lo >>> 0) < (aLo >>> 0) ? 1 : 0)) | 0;
                  x[rd] = lo;
                  break;
                }
                case 1: { // SLL
                  const sh = bLo & 63;
                  if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                  else if (sh < 32) { x[rd + 1] = (aHi << sh) | (aLo >>> (32 - sh)); x[rd] = aLo << sh; }
                  else { x[rd + 1] = aLo << (sh - 32); x[rd] = 0; }
                  break;
                }
                case 2: x[rd] = aHi < bHi || (aHi === bHi && (aLo >>> 0) < (bLo >>> 0)) ? 1 : 0; x[rd + 1] = 0; break; // SLT
                case 3: x[rd] = aHi >>> 0 < bHi >>> 0 || (aHi === bHi && (aLo >>> 0) < (bLo >>> 0)) ? 1 : 0; x[rd + 1] = 0; break; // SLTU
                case 4: x[rd] = aLo ^ bLo; x[rd + 1] = aHi ^ bHi; break;
                case 5: { // SRL
                  const sh = bLo & 63;
                  if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                  else if (sh < 32) { x[rd] = (aLo >>> sh) | (aHi << (32 - sh)); x[rd + 1] = aHi >>> sh; }
                  else { x[rd] = aHi >>> (sh - 32); x[rd + 1] = 0; }
                  break;
                }
                case 6: x[rd] = aLo | bLo; x[rd + 1] = aHi | bHi; break;
                default: x[rd] = aLo & bLo; x[rd + 1] = aHi & bHi; break;
              }
            } else if (f7 === 0x20) {
              if (f3 === 0) { // SUB
                x[rd] = (aLo - bLo) | 0;
                x[rd + 1] = (aHi - bHi - ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
              } else if (f3 === 5) { // SRA
                const sh = bLo & 63;
                if (sh === 0) { x[rd] = aLo; x[rd + 1] = aHi; }
                else if (sh < 32) { x[rd] = (aLo >>> sh) | (aHi << (32 - sh)); x[rd + 1] = aHi >> sh; }
                else { x[rd] = aHi >> (sh - 32); x[rd + 1] = aHi >> 31; }
              } else exc = CAUSE.ILLEGAL_INSTRUCTION;
            } else if (f7 === 1) {
              switch (f3) {
                case 0: mul(aLo, aHi, bLo, bHi); break;
                case 1: mulh(aLo, aHi, bLo, bHi); break;
                case 2: mulhsu(aLo, aHi, bLo, bHi); break;
                case 3: mulhu(aLo, aHi, bLo, bHi); break;
                case 4: div(aLo, aHi, bLo, bHi, false); break;
                case 5: divu(aLo, aHi, bLo, bHi, false); break;
                case 6: div(aLo, aHi, bLo, bHi, true); break;
                default: divu(aLo, aHi, bLo, bHi, true); break;
              }
              x[rd] = out[0]!;
              x[rd + 1] = out[1]!;
            } else exc = CAUSE.ILLEGAL_INSTRUCTION;
            break;
          }

          case OP.OP_IMM_32: {
            const a = x[r1]!;
            const imm = insn >> 20;
            let r: number;
            if (f3 === 0) r = (a + imm) | 0; // ADDIW
            else if (f3 === 1 && insn >>> 25 === 0) r = a << (imm & 31); // SLLIW
            else if (f3 === 5 && insn >>> 25 === 0) r = a >>> (imm & 31); // SRLIW
            else if (f3 === 5 && insn >>> 25 === 0x20) r = a >> (imm & 31); // SRAIW
            else { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            x[rd] = r;
            x[rd + 1] = r >> 31;
            break;
          }

          case OP.OP_32: {
            const a = x[r1]!;
            const b = x[r2]!;
            const f7 = insn >>> 25;
            let r: number;
            if (f7 === 0) {
              if (f3 === 0) r = (a + b) | 0;
              else if (f3 === 1) r = a << (b & 31);
              else if (f3 === 5) r = a >>> (b & 31);
              else { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            } else if (f7 === 0x20) {
              if (f3 === 0) r = (a - b) | 0;
              else if (f3 === 5) r = a >> (b & 31);
              else { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            } else if (f7 === 1) {
              switch (f3) {
                case 0: r = Math.imul(a, b); break; // MULW
                case 4: r = b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : (a / b) | 0; break; // DIVW
                case 5: r = b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0; break; // DIVUW
                case 6: r = b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : (a % b) | 0; break; // REMW
                case 7: r = b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0; break; // REMUW
                default: exc = CAUSE.ILLEGAL_INSTRUCTION; r = 0;
              }
              if (exc !== NO_TRAP) break;
            } else { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            x[rd] = r;
            x[rd + 1] = r >> 31;
            break;
          }

          case OP.LOAD: {
            if (f3 === 7) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & 255;
            const size = 1 << (f3 & 3);
            let lo: number;
            let hi: number;
            if (rTagLo[ti] === (aLo & -4096) && rTagHi[ti] === aHi && (aLo & (size - 1)) === 0) {
              const o = rOff[ti]! + (aLo & 0xfff);
              switch (f3) {
                case 0: lo = (u8[o]! << 24) >> 24; hi = lo >> 31; break;
                case 1: lo = (u16[o >>> 1]! << 16) >> 16; hi = lo >> 31; break;
                case 2: lo = i32[o >>> 2]!; hi = lo >> 31; break;
                case 3: lo = i32[o >>> 2]!; hi = i32[(o >>> 2) + 1]!; break;
                case 4: lo = u8[o]!; hi = 0; break;
                case 5: lo = u16[o >>> 1]!; hi = 0; break;
                default: lo = i32[o >>> 2]!; hi = 0; break;
              }
            } else {
              s.instret = base + n;
              lo = loadSlow(h, aLo, aHi, size);
              if (h.exc >= 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
              hi = h.lhi;
              switch (f3) {
                case 0: lo = (lo << 24) >> 24; hi = lo >> 31; break;
                case 1: lo = (lo << 16) >> 16; hi = lo >> 31; break;
                case 2: hi = lo >> 31; break;
                case 3: break;
                case 4: lo &= 0xff; hi = 0; break;
                case 5: lo &= 0xffff; hi = 0; break;
                default: hi = 0; break;
              }
            }
            x[rd] = lo;
            x[rd + 1] = hi;
            break;
          }

          case OP.STORE: {
            if (f3 > 3) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & 255;
            const size = 1 << f3;
            const vLo = x[r2]!;
            if (wTagLo[ti] === (aLo & -4096) && wTagHi[ti] === aHi && (aLo & (size - 1)) === 0) {
              const o = wOff[ti]! + (aLo & 0xfff);
              switch (f3) {
                case 0: u8[o] = vLo; break;
                case 1: u16[o >>> 1] = vLo; break;
                case 2: i32[o >>> 2] = vLo; break;
                default: i32[o >>> 2] = vLo; i32[(o >>> 2) + 1] = x[r2 + 1]!; break;
              }
              dirty[o >>> 12] = 1;
            } else {
              s.instret = base + n;
              storeSlow(h, aLo, aHi, size, vLo, x[r2 + 1]!);
              if (h.exc >= 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
            }
            break;
          }

          case OP.BRANCH: {
            const aLo = x[r1]!;
            const aHi = x[r1 + 1]!;
            const bLo = x[r2]!;
            const bHi = x[r2 + 1]!;
            let taken: boolean;
            switch (f3) {
              case 0: taken = aLo === bLo && aHi === bHi; break;
              case 1: taken = aLo !== bLo || aHi !== bHi; break;
              case 4: taken = aHi < bHi || (aHi === bHi && (aLo >>> 0) < (bLo >>> 0)); break;
              case 5: taken = aHi > bHi || (aHi === bHi && (aLo >>> 0) >= (bLo >>> 0)); break;
              case 6: taken = aHi >>> 0 < bHi >>> 0 || (aHi === bHi && (aLo >>> 0) < (bLo >>> 0)); break;
              case 7: taken = aHi >>> 0 > bHi >>> 0 || (aHi === bHi && (aLo >>> 0) >= (bLo >>> 0)); break;
              default: exc = CAUSE.ILLEGAL_INSTRUCTION; taken = false;
            }
            if (taken) {
              const imm =
                ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
              nextLo = (pcLo + imm) | 0;
              nextHi = (pcHi + (imm >> 31) + ((nextLo >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
            }
            break;
          }

          case OP.JAL: {
            const imm =
              ((insn >> 31) << 20) | (insn & 0xff000) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
            x[rd] = nextLo;
            x[rd + 1] = nextHi;
            nextLo = (pcLo + imm) | 0;
            nextHi = (pcHi + (imm >> 31) + ((nextLo >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
            break;
          }

          case OP.JALR: {
            if (f3 !== 0) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const tLo = ((bLo + imm) | 0) & ~1;
            const tHi = (x[r1 + 1]! + (imm >> 31) + ((((bLo + imm) | 0) >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            x[rd] = nextLo;
            x[rd + 1] = nextHi;
            nextLo = tLo;
            nextHi = tHi;
            break;
          }

          case OP.MISC_MEM:
            // FENCE and FENCE.I: one hart, no caches, no decode cache: nothing to order or flush.
            if (f3 > 1) exc = CAUSE.ILLEGAL_INSTRUCTION;
            break;

          case OP.AMO: {
            if (f3 !== 2 && f3 !== 3) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const f5 = insn >>> 27;
            const size = f3 === 2 ? 4 : 8;
            const aLo = x[r1]!;
            const aHi = x[r1 + 1]!;
            s.instret = base + n;
            if (f5 === 0x02) { // LR
              if (r2 !== 0) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
              const o = atomicAddress(h, aLo, aHi, size, true);
              if (o < 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
              const lo = i32[o >>> 2]!;
              x[rd] = lo;
              x[rd + 1] = size === 4 ? lo >> 31 : i32[(o >>> 2) + 1]!;
              h.resValid = true;
              h.resAddr = o;
              break;
            }
            const o = atomicAddress(h, aLo, aHi, size, false);
            if (o < 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
            const w = o >>> 2;
            const bLo = x[r2]!;
            const bHi = x[r2 + 1]!;
            if (f5 === 0x03) { // SC
              if (h.resValid && h.resAddr === o) {
                i32[w] = bLo;
                if (size === 8) i32[w + 1] = bHi;
                dirty[o >>> 12] = 1;
                x[rd] = 0;
              } else {
                x[rd] = 1;
              }
              x[rd + 1] = 0;
              h.resValid = false;
              break;
            }
            const oLo = i32[w]!;
            const oHi = size === 4 ? oLo >> 31 : i32[w + 1]!;
            // Operands as the instruction width sees them.
            const cHi = size === 4 ? bLo >> 31 : bHi;
            let nLo: number;
            let nHi: number;
            switch (f5) {
              case 0x01: nLo = bLo; nHi = bHi; break; // AMOSWAP
              case 0x00: nLo = (oLo + bLo) | 0; nHi = (oHi + bHi + ((nLo >>> 0) < (oLo >>> 0) ? 1 : 0)) | 0; break;
              case 0x04: nLo = oLo ^ bLo; nHi = oHi ^ bHi; break;
              case 0x0c: nLo = oLo & bLo; nHi = oHi & bHi; break;
              case 0x08: nLo = oLo | bLo; nHi = oHi | bHi; break;
              case 0x10: case 0x14: case 0x18: case 0x1c: {
                const signed = f5 <= 0x14;
                const less = signed
                  ? oHi < cHi || (oHi === cHi && (oLo >>> 0) < (bLo >>> 0))
                  : oHi >>> 0 < cHi >>> 0 || (oHi === cHi && (oLo >>> 0) < (bLo >>> 0));
                const pickOld = f5 === 0x10 || f5 === 0x18 ? less : !less;
                nLo = pickOld ? oLo : bLo;
                nHi = pickOld ? oHi : bHi;
                break;
              }
              default: exc = CAUSE.ILLEGAL_INSTRUCTION; nLo = nHi = 0;
            }
            if (exc !== NO_TRAP) break;
            i32[w] = nLo;
            if (size === 8) i32[w + 1] = nHi;
            dirty[o >>> 12] = 1;
            x[rd] = oLo;
            x[rd + 1] = oHi;
            break;
          }

          case OP.LOAD_FP: {
            if (!(s.mstatus & MSTATUS.FS) || (f3 !== 2 && f3 !== 3)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & 255;
            const size = f3 === 2 ? 4 : 8;
            let lo: number;
            let hi: number;
            if (rTagLo[ti] === (aLo & -4096) && rTagHi[ti] === aHi && (aLo & (size - 1)) === 0) {
              const o = rOff[ti]! + (aLo & 0xfff);
              lo = i32[o >>> 2]!;
              hi = size === 4 ? -1 : i32[(o >>> 2) + 1]!;
            } else {
              s.instret = base + n;
              lo = loadSlow(h, aLo, aHi, size);
              if (h.exc >= 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
              hi = size === 4 ? -1 : h.lhi;
            }
            f[rd] = lo;
            f[rd + 1] = hi; // a single is NaN-boxed
            s.mstatus |= MSTATUS.FS;
            break;
          }

          case OP.STORE_FP: {
            if (!(s.mstatus & MSTATUS.FS) || (f3 !== 2 && f3 !== 3)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & 255;
            const size = f3 === 2 ? 4 : 8;
            if (wTagLo[ti] === (aLo & -4096) && wTagHi[ti] === aHi && (aLo & (size - 1)) === 0) {
              const o = wOff[ti]! + (aLo & 0xfff);
              i32[o >>> 2] = f[r2]!;
              if (size === 8) i32[(o >>> 2) + 1] = f[r2 + 1]!;
              dirty[o >>> 12] = 1;
            } else {
              s.instret = base + n;
              storeSlow(h, aLo, aHi, size, f[r2]!, f[r2 + 1]!);
              if (h.exc >= 0) { exc = h.exc; tvLo = h.excTvalLo; tvHi = h.excTvalHi; h.exc = NO_TRAP; break; }
            }
            break;
          }

          case OP.OP_FP:
          case OP.MADD:
          case OP.MSUB:
          case OP.NMSUB:
          case OP.NMADD: {
            if (!(s.mstatus & MSTATUS.FS)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const flags = execFp(x, f, h.fd, h.fs, insn, s.frm);
            if (flags < 0) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            s.fflags |= flags;
            s.mstatus |= MSTATUS.FS;
            break;
          }

          case OP.SYSTEM: {
            s.instret = base + n;
            if (f3 === 0) {
              if (insn === SYS.ECALL) {
                exc = CAUSE.USER_ECALL + s.priv;
              } else if (insn === SYS.EBREAK) {
                exc = CAUSE.BREAKPOINT;
                tvLo = pcLo;
                tvHi = pcHi;
              } else if (insn === SYS.MRET) {
                if (s.priv !== PRIV.M) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
                mret(h);
                pcLo = s.pcLo;
                pcHi = s.pcHi;
                x[0] = 0;
                x[1] = 0;
                n++;
                cpLo = NO_PAGE;
                continue outer;
              } else if (insn === SYS.SRET) {
                if (s.priv < PRIV.S || (s.priv === PRIV.S && s.mstatus & MSTATUS.TSR)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
                sret(h);
                pcLo = s.pcLo;
                pcHi = s.pcHi;
                x[0] = 0;
                x[1] = 0;
                n++;
                cpLo = NO_PAGE;
                continue outer;
              } else if (insn === SYS.WFI) {
                if (s.priv === PRIV.U || (s.priv === PRIV.S && s.mstatus & MSTATUS.TW)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
                pcLo = nextLo;
                pcHi = nextHi;
                n++;
                if ((h.mip() & s.mie) === 0) {
                  s.wfi = true;
                  h.stop = true;
                  break outer;
                }
                continue outer;
              } else if (insn >>> 25 === SYS.SFENCE_VMA_FUNCT7 && rd === 0) {
                if (s.priv === PRIV.U || (s.priv === PRIV.S && s.mstatus & MSTATUS.TVM)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
                h.flushTlb();
                cpLo = NO_PAGE;
              } else {
                exc = CAUSE.ILLEGAL_INSTRUCTION;
              }
              break;
            }
            if (f3 === 4) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            // Zicsr
            const csr = insn >>> 20;
            if (!csrRead(h, csr)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            const oldLo = csrLo;
            const oldHi = csrHi;
            const useImm = f3 >= 5;
            const srcLo = useImm ? r1 >>> 1 : x[r1]!;
            const srcHi = useImm ? 0 : x[r1 + 1]!;
            const op = f3 & 3;
            if (op === 1 || r1 !== 0) {
              let wLo: number;
              let wHi: number;
              if (op === 1) { wLo = srcLo; wHi = srcHi; }
              else if (op === 2) { wLo = oldLo | srcLo; wHi = oldHi | srcHi; }
              else { wLo = oldLo & ~srcLo; wHi = oldHi & ~srcHi; }
              if (!csrWrite(h, csr, wLo, wHi)) { exc = CAUSE.ILLEGAL_INSTRUCTION; break; }
            }
            x[rd] = oldLo;
            x[rd + 1] = oldHi;
            // A CSR write may change translation, privilege checks or interrupt enables.
            cpLo = NO_PAGE;
            if (h.irqCheck) {
              pcLo = nextLo;
              pcHi = nextHi;
              x[0] = 0;
              x[1] = 0;
              n++;
              continue outer;
            }
            break;
          }

          default:
            exc = CAUSE.ILLEGAL_INSTRUCTION;
        }
      }

      if (exc !== NO_TRAP) {
        if (exc === CAUSE.ILLEGAL_INSTRUCTION) {
          // tval holds the instruction bits as fetched (16 bits for a compressed one).
          tvLo = ilen === 2 ? bits! & 0xffff : insn;
          tvHi = 0;
        }
        s.pcLo = pcLo;
        s.pcHi = pcHi;
        s.instret = base + n;
        takeTrap(h, exc, false, tvLo, tvHi);
        pcLo = s.pcLo;
        pcHi = s.pcHi;
        x[0] = 0;
        x[1] = 0;
        n++;
        cpLo = NO_PAGE;
        continue outer;
      }

      x[0] = 0;
      x[1] = 0;
      pcLo = nextLo;
      pcHi = nextHi;
      n++;
    }
  }

  s.pcLo = pcLo;
  s.pcHi = pcHi;
  s.instret = base + n;
  return n;
}
