/**
 * The SYSTEM opcode: ECALL, EBREAK, MRET, SRET, WFI, SFENCE.VMA and the Zicsr instructions.
 * Kept out of the interpreter's hot function: these are rare, and a smaller hot loop is a
 * faster one. The result tells the run loop what to do next.
 */
import { CAUSE, PRIV } from '../isa/causes.ts';
import { MSTATUS } from '../isa/csr.ts';
import { csrHi, csrLo, csrRead, csrWrite } from './csr-file.ts';
import type { Hart } from './hart.ts';
import { mret, sret } from './traps.ts';

/** Continue at the next instruction, inside the fast loop. */
export const SYS_NEXT = -1;
/** Continue at state.pc (set by MRET/SRET) after re-checking interrupts. */
export const SYS_REDIRECT = -2;
/** Continue at the next instruction after re-checking interrupts and translation. */
export const SYS_RECHECK = -3;
/** WFI with nothing pending: the slice ends, pc is past the WFI. */
export const SYS_SLEEP = -4;

const enum SYS {
  ECALL = 0x00000073,
  EBREAK = 0x00100073,
  SRET = 0x10200073,
  MRET = 0x30200073,
  WFI = 0x10500073,
  SFENCE_VMA_FUNCT7 = 0x09,
}

/**
 * Executes a SYSTEM instruction. Returns one of the SYS_* codes, or an exception cause (with
 * h.excTvalLo/Hi set) when the instruction traps.
 */
export function execSystem(h: Hart, insn: number, pcLo: number, pcHi: number): number {
  const s = h.state;
  const x = h.x;
  const f3 = (insn >>> 12) & 7;
  h.excTvalLo = 0;
  h.excTvalHi = 0;
  if (f3 === 0) {
    switch (insn) {
      case SYS.ECALL:
        return CAUSE.USER_ECALL + s.priv;
      case SYS.EBREAK:
        h.excTvalLo = pcLo;
        h.excTvalHi = pcHi;
        return CAUSE.BREAKPOINT;
      case SYS.MRET:
        if (s.priv !== PRIV.M) return CAUSE.ILLEGAL_INSTRUCTION;
        mret(h);
        return SYS_REDIRECT;
      case SYS.SRET:
        if (s.priv < PRIV.S || (s.priv === PRIV.S && s.mstatus & MSTATUS.TSR)) return CAUSE.ILLEGAL_INSTRUCTION;
        sret(h);
        return SYS_REDIRECT;
      case SYS.WFI:
        // TW traps WFI below M; in U-mode WFI is always illegal here (spec 3.3.3).
        if (s.priv === PRIV.U || (s.priv === PRIV.S && s.mstatus & MSTATUS.TW)) return CAUSE.ILLEGAL_INSTRUCTION;
        if ((h.mip() & s.mie) !== 0) return SYS_RECHECK;
        s.wfi = true;
        return SYS_SLEEP;
    }
    if (insn >>> 25 === SYS.SFENCE_VMA_FUNCT7 && ((insn >>> 7) & 31) === 0) {
      if (s.priv === PRIV.U || (s.priv === PRIV.S && s.mstatus & MSTATUS.TVM)) return CAUSE.ILLEGAL_INSTRUCTION;
      h.flushTlb();
      return SYS_RECHECK;
    }
    return CAUSE.ILLEGAL_INSTRUCTION;
  }
  if (f3 === 4) return CAUSE.ILLEGAL_INSTRUCTION;

  // Zicsr: CSRRW/CSRRS/CSRRC and the immediate forms (unprivileged spec chapter 9).
  const csr = insn >>> 20;
  const rd = ((insn >>> 7) & 31) << 1;
  const rs1 = (insn >>> 15) & 31;
  if (!csrRead(h, csr)) return CAUSE.ILLEGAL_INSTRUCTION;
  const oldLo = csrLo;
  const oldHi = csrHi;
  const useImm = f3 >= 5;
  const srcLo = useImm ? rs1 : x[rs1 << 1]!;
  const srcHi = useImm ? 0 : x[(rs1 << 1) + 1]!;
  const op = f3 & 3;
  // CSRRS/CSRRC with rs1 = x0 (or uimm = 0) do not write, so read-only CSRs can be read.
  if (op === 1 || rs1 !== 0) {
    let wLo: number;
    let wHi: number;
    if (op === 1) {
      wLo = srcLo;
      wHi = srcHi;
    } else if (op === 2) {
      wLo = oldLo | srcLo;
      wHi = oldHi | srcHi;
    } else {
      wLo = oldLo & ~srcLo;
      wHi = oldHi & ~srcHi;
    }
    if (!csrWrite(h, csr, wLo, wHi)) return CAUSE.ILLEGAL_INSTRUCTION;
  }
  x[rd] = oldLo;
  x[rd + 1] = oldHi;
  return h.irqCheck ? SYS_RECHECK : SYS_NEXT;
}
