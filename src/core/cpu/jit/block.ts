/**
 * Compiles one guest basic block to a JavaScript function (emit.ts has the instructions).
 *
 * A block starts at a physical address, never leaves its 4 KiB page, and ends at the first
 * control transfer, at an instruction it cannot compile, at the page's end or after
 * MAX_INSNS. It is keyed by physical address (block-cache.ts) and gets its virtual pc as an
 * argument, so the same code mapped twice is compiled once and AUIPC/JAL still see the right
 * pc. A block whose last instruction branches back to its own start becomes a loop that runs
 * while the remaining budget allows a whole turn.
 *
 * `run(pcLo, pcHi, left)` returns the instructions retired, with the next pc in `ret`; a side
 * exit (the interpreter must run the instruction at `ret` next) returns the bitwise NOT of the
 * count. The caller runs a block only when `len <= left`, so a run never passes the budget.
 */
import type { Hart } from '../hart.ts';
import { execFp } from '../fp/index.ts';
import { hotFpD } from '../fp/hot.ts';
import { div, divu, mul, mulh, mulhsu, mulhu, out } from '../muldiv.ts';
import { emit, FS_MASK, LOOP_AGAIN, sideExit, type Site } from './emit.ts';

export const MAX_INSNS = 64;

export interface Block {
  /** Instructions in one pass through the block; 0 for "nothing compilable starts here". */
  readonly len: number;
  readonly run: (pcLo: number, pcHi: number, left: number) => number;
}

/** What a compiled block closes over: the hart's views, TLB arrays and helpers. */
export type BlockEnv = readonly unknown[];
const ENV_NAMES =
  'x,f,fd,fs,u8,u16,i32,dirty,rTagLo,rTagHi,rOff,wTagLo,wTagHi,wOff,ret,s,mul,mulh,mulhsu,mulhu,div,divu,out,hotFpD,execFp';

export function blockEnv(h: Hart, ret: Int32Array): BlockEnv {
  return [
    h.x, h.f, h.fd, h.fs, h.u8, h.u16, h.i32, h.dirty,
    h.rtlb.tagLo, h.rtlb.tagHi, h.rtlb.off, h.wtlb.tagLo, h.wtlb.tagHi, h.wtlb.off,
    ret, h.state, mul, mulh, mulhsu, mulhu, div, divu, out, hotFpD, execFp,
  ];
}

const noBlock = (): number => 0;
/** The entry for an address where the first instruction cannot be compiled. */
export const EMPTY: Block = { len: 0, run: noBlock };

/** The JavaScript body of the block at RAM byte offset `start`, and its length; null if empty. */
export function blockSource(u16: Uint16Array, rvc: Int32Array, start: number): { len: number; body: string } | null {
  const pageEnd = (start & -4096) + 4096;
  let parts: string[] = [];
  let k = 0;
  let i = 0;
  let ended = false;
  let fsChecked = false;
  let fsDirtied = false;
  while (i < MAX_INSNS && start + k < pageEnd) {
    const o = start + k;
    let insn = u16[o >>> 1]!;
    let ilen = 2;
    if ((insn & 3) === 3) {
      if (o + 4 > pageEnd) break; // straddles the page: the interpreter fetches it
      insn |= u16[(o >>> 1) + 1]! << 16;
      ilen = 4;
    } else {
      insn = rvc[insn]!;
    }
    const site: Site = { k, i, ilen };
    const e = emit(insn, site);
    if (e === null) {
      if (i === 0) return null;
      parts.push(sideExit(site));
      ended = true;
      break;
    }
    // Only FP instructions change FS, and only from on to dirty: check it before the block's
    // first FP instruction, and mark it dirty after the first one that changes FP state, as the
    // interpreter does (regression: marking it after an FSD made Linux's saved sstatus differ).
    if (e.kind === 'op' && e.fp !== undefined && !fsChecked) {
      fsChecked = true;
      parts.push(`if((s.mstatus&${FS_MASK})===0)${sideExit(site)}`);
    }
    parts.push(e.code);
    if (e.kind === 'op' && e.fp === 'write' && !fsDirtied) {
      fsDirtied = true;
      parts.push(`s.mstatus|=${FS_MASK};`);
    }
    k += ilen;
    i++;
    if (e.kind === 'end') {
      ended = true;
      break;
    }
  }
  if (i === 0) return null;
  if (!ended) {
    // Page end or length limit: continue at the next instruction (it may be on the next page).
    parts.push(`{const p=(pcLo+${k - 2})|0;const t=(p+2)|0;ret[0]=t;ret[1]=(t>>>0)<(p>>>0)?(pcHi+1)|0:pcHi;return c+${i};}`);
  }
  let body = parts.join('\n');
  if (body.includes(LOOP_AGAIN)) {
    body = body.replace(LOOP_AGAIN, `{c+=${i};if(c+${i}>left){ret[0]=pcLo;ret[1]=pcHi;return c;}continue;}`);
    body = `for(;;){\n${body}\n}`;
  }
  parts = [];
  return { len: i, body: `let c=0;\n${body}` };
}

/** Compiles the block at RAM byte offset `start` (EMPTY if its first instruction is not compilable). */
export function compileBlock(env: BlockEnv, u16: Uint16Array, rvc: Int32Array, start: number): Block {
  const src = blockSource(u16, rvc, start);
  if (src === null) return EMPTY;
  const factory = new Function(ENV_NAMES, `"use strict";return function block(pcLo,pcHi,left){\n${src.body}\n};`) as (
    ...env: unknown[]
  ) => Block['run'];
  return { len: src.len, run: factory(...env) };
}
