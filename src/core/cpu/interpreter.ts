/**
 * The interpreter: one flat dispatch on the major opcode (STYLE principle 8), registers as
 * lo/hi int32 pairs, TLB hits inline and everything else in named slow paths. Compressed
 * instructions are expanded through a table and run through the same switch.
 *
 * Guest exceptions are values: a case that faults sets `exc` (and `tvLo`/`tvHi`) and breaks; the
 * one trap exit after the switch enters the trap. x0 is enforced at one point: it is zeroed
 * after every instruction. Rare instructions (SYSTEM, AMO, FP arithmetic) live in their own
 * functions so that this one stays small enough for the JIT to keep its locals in registers.
 */
import { MSTATUS } from '../isa/csr.ts';
import { compressedTable } from '../isa/rvc.ts';
import { execAmo } from './atomics.ts';
import { execFp } from './fp/index.ts';
import { HOT_MISS, hotFpD } from './fp/hot.ts';
import type { Hart } from './hart.ts';
import { fetchHalfSlow, fetchPage, loadSlow, storeSlow } from './mmu.ts';
import { div, divu, mul, mulh, mulhsu, mulhu, out } from './muldiv.ts';
import { execSystem, SYS_NEXT, SYS_REDIRECT, SYS_SLEEP } from './system.ts';
import { EMPTY } from './jit/block.ts';
import { pendingInterrupt, takeTrap } from './traps.ts';

/**
 * Major opcodes as insn[6:2] (the spec's opcode map, unprivileged spec table 34.1), local to
 * this file: a per-file transpiler inlines a const enum only inside the file that declares it,
 * and the dispatch below must compile to a jump table. src/core/isa/opcodes.ts has the 7-bit
 * values for everyone else.
 */
const enum OP5 {
  LOAD = 0x00,
  LOAD_FP = 0x01,
  MISC_MEM = 0x03,
  OP_IMM = 0x04,
  AUIPC = 0x05,
  OP_IMM_32 = 0x06,
  STORE = 0x08,
  STORE_FP = 0x09,
  AMO = 0x0b,
  OP = 0x0c,
  LUI = 0x0d,
  OP_32 = 0x0e,
  MADD = 0x10,
  MSUB = 0x11,
  NMSUB = 0x12,
  NMADD = 0x13,
  OP_FP = 0x14,
  BRANCH = 0x18,
  JALR = 0x19,
  JAL = 0x1b,
  SYSTEM = 0x1c,
}

/** TLB index mask, TLB_MASK of tlb.ts as a literal so it compiles to a constant (tested equal). */
export const TLB_INDEX = 4095;

/** The 7-bit OP-FP opcode (the R4 fused ops share this case). */
const OP_FP_7 = 0x53;

const NO_TRAP = -1;
const ILLEGAL = 2; // CAUSE.ILLEGAL_INSTRUCTION
/** A code-page tag no page-aligned pc can equal: forces the next fetch to look the page up. */
const NO_PAGE = 1;

/**
 * When to ask the block cache (jit/) for compiled code: only where a block can start, so that
 * straight-line interpretation pays one compare per instruction.
 */
const enum Probe {
  /** Keep interpreting. */
  OFF = 0,
  /** pc is a block start (after a control transfer, a trap, a block): look it up. */
  NOW = 1,
  /** A block side-exited at pc: interpret this instruction, look up the next. */
  AFTER = 2,
}
/** What `jitRet` reads when there is no block cache (never read then: no block runs). */
const NO_BLOCK_RET = new Int32Array(2);
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
  const jit = h.jit;
  const jitPages = jit === null ? null : jit.pages;
  const jitRet = jit === null ? NO_BLOCK_RET : jit.ret;
  let probe: Probe = Probe.NOW;

  const base = s.instret;
  let n = 0;
  let pcLo = s.pcLo;
  let pcHi = s.pcHi;
  // The code page the last fetch came from.
  let cpLo = NO_PAGE;
  let cpHi = 0;
  let cpOff = 0;
  // A trap's cause and tval: written only on the way to the trap exit.
  let exc = NO_TRAP;
  let tvLo = 0;
  let tvHi = 0;
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
        probe = Probe.NOW;
      }
    }
    if (s.wfi) {
      if ((h.mip() & s.mie) === 0) break;
      s.wfi = false;
    }

    while (n < budget) {
      let insn = 0;
      let ilen = 4;
      let bits = 0;
      if (probe !== Probe.OFF) {
        if (probe === Probe.AFTER) probe = Probe.NOW;
        else if ((pcLo & -4096) === cpLo && pcHi === cpHi) {
          probe = Probe.OFF;
          if (jit !== null && jitPages !== null) {
            const o = cpOff + (pcLo & 0xfff);
            const blocks = jitPages[o >>> 12];
            let b = blocks === undefined ? undefined : blocks[(o & 0xfff) >>> 1];
            if (b === undefined) b = jit.miss(o);
            if (b !== undefined) {
              if (b.len !== 0 && b.len <= budget - n) {
                const r = b.run(pcLo, pcHi, budget - n);
                pcLo = jitRet[0]!;
                pcHi = jitRet[1]!;
                if (r >= 0) {
                  n += r;
                  probe = Probe.NOW;
                } else {
                  n += ~r;
                  probe = Probe.AFTER;
                }
                continue;
              }
              // Nothing compilable starts here: interpret this one, look again after it.
              if (b === EMPTY) probe = Probe.NOW;
            }
          }
        }
      }
      // Every path out of this block that does not `continue` is a trap with `exc` set.
      step: {
        // ---- fetch ----
        if ((pcLo & -4096) === cpLo && pcHi === cpHi) {
          const o = cpOff + (pcLo & 0xfff);
          if ((o & 2) === 0) {
            bits = i32[o >>> 2]!;
          } else {
            bits = u16[o >>> 1]!;
            if ((bits & 3) === 3) {
              if ((pcLo & 0xfff) !== 0xffe) bits |= u16[(o >>> 1) + 1]! << 16;
              else {
                bits = fetchSlow(h, pcLo, pcHi);
                if (h.exc >= 0) {
                  exc = h.exc;
                  break step;
                }
              }
            }
          }
        } else {
          s.instret = base + n;
          const off = fetchPage(h, pcLo, pcHi);
          if (off >= 0) {
            cpLo = pcLo & -4096;
            cpHi = pcHi;
            cpOff = off;
            continue;
          }
          cpLo = NO_PAGE;
          if (h.exc >= 0) {
            exc = h.exc;
            break step;
          }
          bits = fetchSlow(h, pcLo, pcHi);
          if (h.exc >= 0) {
            exc = h.exc;
            break step;
          }
        }
        if ((bits & 3) === 3) {
          insn = bits;
        } else {
          insn = rvc[bits & 0xffff]!;
          ilen = 2;
        }

        const rd = ((insn >>> 7) & 31) << 1;
        const r1 = ((insn >>> 15) & 31) << 1;
        const r2 = ((insn >>> 20) & 31) << 1;
        const f3 = (insn >>> 12) & 7;

        switch ((insn >>> 2) & 31) {
          case OP5.OP_IMM: {
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
                if (insn >>> 26 !== 0) { exc = ILLEGAL; break step; }
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
                } else { exc = ILLEGAL; break step; }
                break;
              }
              case 6: x[rd] = aLo | imm; x[rd + 1] = aHi | (imm >> 31); break; // ORI
              default: x[rd] = aLo & imm; x[rd + 1] = aHi & (imm >> 31); break; // ANDI
            }
            break;
          }

          case OP5.LUI: {
            const lo = insn & 0xfffff000;
            x[rd] = lo;
            x[rd + 1] = lo >> 31;
            break;
          }

          case OP5.AUIPC: {
            const imm = insn & 0xfffff000;
            const lo = (pcLo + imm) | 0;
            x[rd + 1] = (pcHi + (imm >> 31) + ((lo >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
            x[rd] = lo;
            break;
          }

          case OP5.OP: {
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
              } else { exc = ILLEGAL; break step; }
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
            } else { exc = ILLEGAL; break step; }
            break;
          }

          case OP5.OP_IMM_32: {
            const a = x[r1]!;
            const imm = insn >> 20;
            let r: number;
            if (f3 === 0) r = (a + imm) | 0; // ADDIW
            else if (f3 === 1 && insn >>> 25 === 0) r = a << (imm & 31); // SLLIW
            else if (f3 === 5 && insn >>> 25 === 0) r = a >>> (imm & 31); // SRLIW
            else if (f3 === 5 && insn >>> 25 === 0x20) r = a >> (imm & 31); // SRAIW
            else { exc = ILLEGAL; break step; }
            x[rd] = r;
            x[rd + 1] = r >> 31;
            break;
          }

          case OP5.OP_32: {
            const a = x[r1]!;
            const b = x[r2]!;
            const f7 = insn >>> 25;
            let r: number;
            if (f7 === 0) {
              if (f3 === 0) r = (a + b) | 0;
              else if (f3 === 1) r = a << (b & 31);
              else if (f3 === 5) r = a >>> (b & 31);
              else { exc = ILLEGAL; break step; }
            } else if (f7 === 0x20) {
              if (f3 === 0) r = (a - b) | 0;
              else if (f3 === 5) r = a >> (b & 31);
              else { exc = ILLEGAL; break step; }
            } else if (f7 === 1) {
              switch (f3) {
                case 0: r = Math.imul(a, b); break; // MULW
                case 4: r = b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : (a / b) | 0; break; // DIVW
                case 5: r = b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0; break; // DIVUW
                case 6: r = b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : (a % b) | 0; break; // REMW
                case 7: r = b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0; break; // REMUW
                default: exc = ILLEGAL; break step;
              }
            } else { exc = ILLEGAL; break step; }
            x[rd] = r;
            x[rd + 1] = r >> 31;
            break;
          }

          case OP5.LOAD: {
            if (f3 === 7) { exc = ILLEGAL; break step; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & TLB_INDEX;
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
              if (h.exc >= 0) { exc = h.exc; break step; }
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

          case OP5.STORE: {
            if (f3 > 3) { exc = ILLEGAL; break step; }
            const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & TLB_INDEX;
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
              if (h.exc >= 0) { exc = h.exc; break step; }
            }
            break;
          }

          case OP5.BRANCH: {
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
              default: exc = ILLEGAL; break step;
            }
            if (taken) {
              const imm =
                ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
              const t = (pcLo + imm) | 0;
              pcHi = (pcHi + (imm >> 31) + ((t >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
              pcLo = t;
              n++;
              probe = Probe.NOW;
              continue;
            }
            probe = Probe.NOW;
            break;
          }

          case OP5.JAL: {
            const imm =
              ((insn >> 31) << 20) | (insn & 0xff000) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
            const link = (pcLo + ilen) | 0;
            x[rd] = link;
            x[rd + 1] = (link >>> 0) < (pcLo >>> 0) ? (pcHi + 1) | 0 : pcHi;
            x[0] = 0;
            x[1] = 0;
            const t = (pcLo + imm) | 0;
            pcHi = (pcHi + (imm >> 31) + ((t >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0;
            pcLo = t;
            n++;
            probe = Probe.NOW;
            continue;
          }

          case OP5.JALR: {
            if (f3 !== 0) { exc = ILLEGAL; break step; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const sum = (bLo + imm) | 0;
            const tHi = (x[r1 + 1]! + (imm >> 31) + ((sum >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const link = (pcLo + ilen) | 0;
            x[rd] = link;
            x[rd + 1] = (link >>> 0) < (pcLo >>> 0) ? (pcHi + 1) | 0 : pcHi;
            x[0] = 0;
            x[1] = 0;
            pcLo = sum & ~1;
            pcHi = tHi;
            n++;
            probe = Probe.NOW;
            continue;
          }

          case OP5.MISC_MEM:
            // FENCE and FENCE.I: one hart, no caches, no decode cache: nothing to order or flush.
            if (f3 > 1) { exc = ILLEGAL; break step; }
            break;

          case OP5.AMO:
            s.instret = base + n;
            exc = execAmo(h, insn);
            if (exc !== NO_TRAP) break step;
            break;

          case OP5.LOAD_FP: {
            if (!(s.mstatus & MSTATUS.FS) || (f3 !== 2 && f3 !== 3)) { exc = ILLEGAL; break step; }
            const imm = insn >> 20;
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & TLB_INDEX;
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
              if (h.exc >= 0) { exc = h.exc; break step; }
              hi = size === 4 ? -1 : h.lhi;
            }
            f[rd] = lo;
            f[rd + 1] = hi; // a single is NaN-boxed
            s.mstatus |= MSTATUS.FS;
            break;
          }

          case OP5.STORE_FP: {
            if (!(s.mstatus & MSTATUS.FS) || (f3 !== 2 && f3 !== 3)) { exc = ILLEGAL; break step; }
            const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
            const bLo = x[r1]!;
            const aLo = (bLo + imm) | 0;
            const aHi = (x[r1 + 1]! + (imm >> 31) + ((aLo >>> 0) < (bLo >>> 0) ? 1 : 0)) | 0;
            const ti = (aLo >>> 12) & TLB_INDEX;
            const size = f3 === 2 ? 4 : 8;
            if (wTagLo[ti] === (aLo & -4096) && wTagHi[ti] === aHi && (aLo & (size - 1)) === 0) {
              const o = wOff[ti]! + (aLo & 0xfff);
              i32[o >>> 2] = f[r2]!;
              if (size === 8) i32[(o >>> 2) + 1] = f[r2 + 1]!;
              dirty[o >>> 12] = 1;
            } else {
              s.instret = base + n;
              storeSlow(h, aLo, aHi, size, f[r2]!, f[r2 + 1]!);
              if (h.exc >= 0) { exc = h.exc; break step; }
            }
            break;
          }

          case OP5.OP_FP:
          case OP5.MADD:
          case OP5.MSUB:
          case OP5.NMSUB:
          case OP5.NMADD: {
            if (!(s.mstatus & MSTATUS.FS)) { exc = ILLEGAL; break step; }
            let flags = (insn & 0x7f) === OP_FP_7 ? hotFpD(h.fd, insn, s.frm, s.fflags) : HOT_MISS;
            if (flags === HOT_MISS) flags = execFp(x, f, h.fd, h.fs, insn, s.frm);
            if (flags < 0) { exc = ILLEGAL; break step; }
            s.fflags |= flags;
            s.mstatus |= MSTATUS.FS;
            break;
          }

          case OP5.SYSTEM: {
            s.instret = base + n;
            h.exc = NO_TRAP;
            const r = execSystem(h, insn, pcLo, pcHi);
            // Any SYSTEM instruction may change translation (satp, mstatus, sfence.vma): the
            // next fetch must look its page up again (regression: a satp write kept fetching
            // from the physical page and Linux's relocate_enable_mmu never faulted to stvec).
            cpLo = NO_PAGE;
            if (r >= 0) {
              exc = r;
              break step;
            }
            probe = Probe.NOW; // a CSR access may sit in a hot loop: what follows can be a block
            if (r === SYS_NEXT) break;
            // Retired, but privilege, translation, interrupt enables or pc may have changed:
            // leave the fast loop.
            x[0] = 0;
            x[1] = 0;
            n++;
            if (r === SYS_REDIRECT) {
              pcLo = s.pcLo;
              pcHi = s.pcHi;
            } else {
              const t = (pcLo + ilen) | 0;
              if ((t >>> 0) < (pcLo >>> 0)) pcHi = (pcHi + 1) | 0;
              pcLo = t;
            }
            if (r === SYS_SLEEP) {
              h.stop = true;
              break outer;
            }
            probe = Probe.NOW;
            continue outer;
          }

          default:
            exc = ILLEGAL;
            break step;
        }

        // The instruction retired and falls through to the next one.
        x[0] = 0;
        x[1] = 0;
        const t = (pcLo + ilen) | 0;
        if ((t >>> 0) < (pcLo >>> 0)) pcHi = (pcHi + 1) | 0;
        pcLo = t;
        n++;
        continue;
      }

      // ---- the trap exit ----
      if (exc === ILLEGAL) {
        // tval holds the instruction bits as fetched (16 bits for a compressed one).
        tvLo = ilen === 2 ? bits & 0xffff : insn;
        tvHi = 0;
      } else {
        tvLo = h.excTvalLo;
        tvHi = h.excTvalHi;
      }
      h.exc = NO_TRAP;
      s.pcLo = pcLo;
      s.pcHi = pcHi;
      s.instret = base + n;
      takeTrap(h, exc, false, tvLo, tvHi);
      exc = NO_TRAP;
      pcLo = s.pcLo;
      pcHi = s.pcHi;
      x[0] = 0;
      x[1] = 0;
      n++;
      cpLo = NO_PAGE;
      probe = Probe.NOW;
      continue outer;
    }
  }

  s.pcLo = pcLo;
  s.pcHi = pcHi;
  s.instret = base + n;
  return n;
}

/**
 * Fetches the instruction at pc when the fast path cannot: a 32-bit instruction straddling a
 * page boundary, or code in a device (the boot ROM). Returns the raw bits (16 or 32 of them);
 * on a fault, h.exc is set.
 */
function fetchSlow(h: Hart, pcLo: number, pcHi: number): number {
  const lowHalf = fetchHalfSlow(h, pcLo, pcHi);
  if (lowHalf < 0 || (lowHalf & 3) !== 3) return lowHalf < 0 ? 0 : lowHalf;
  const pc2 = (pcLo + 2) | 0;
  const highHalf = fetchHalfSlow(h, pc2, (pcHi + ((pc2 >>> 0) < (pcLo >>> 0) ? 1 : 0)) | 0);
  return highHalf < 0 ? 0 : lowHalf | (highHalf << 16);
}
