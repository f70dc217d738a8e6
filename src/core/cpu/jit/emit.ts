/**
 * JavaScript source for one guest instruction inside a compiled block (block.ts assembles
 * them). Every emitter does exactly what the interpreter's case does for that encoding, with
 * the fields decoded at compile time: register indices and immediates become literals, shifts
 * by a constant become the one branch of the shift that applies, and writes to x0 disappear.
 *
 * Only the interpreter's fast paths are compiled. A load or store whose TLB lookup misses, an
 * FP instruction with FS off, anything else an emitter does not handle: the block leaves
 * *before* that instruction (a side exit) and the interpreter runs it, slow path, trap and all.
 * So a compiled block can never do anything the interpreter would not, in the same order.
 *
 * Names the generated code sees (bound by block.ts): x, f, fd, fs, u8, u16, i32, dirty, the
 * TLB arrays rTagLo/rTagHi/rOff and wTagLo/wTagHi/wOff, ret (the next pc), s (HartState), the
 * helpers mul/mulh/mulhsu/mulhu/div/divu/out, hotFpD, execFp; pcLo/pcHi (the block's start
 * pc) and c (instructions retired by earlier turns of a self-loop).
 */
import { MSTATUS } from '../../isa/csr.ts';

/** Where an instruction sits in its block: byte offset from the block's pc and index. */
export interface Site {
  /** Byte offset of the instruction from the block's first instruction. */
  k: number;
  /** Instructions before it in the block. */
  i: number;
  /** 2 or 4. */
  ilen: number;
}

/** What an emitter produced: straight-line code, a block-ending control transfer, or nothing. */
export type Emitted =
  /** fp: 'read' needs mstatus.FS on; 'write' also marks FS dirty afterwards (it changes FP state). */
  | { kind: 'op'; code: string; fp?: 'read' | 'write' }
  | { kind: 'end'; code: string }
  | null;

const xl = (r: number) => (r === 0 ? '0' : `x[${2 * r}]`);
const xh = (r: number) => (r === 0 ? '0' : `x[${2 * r + 1}]`);

/** Leaves before the instruction at `s`: the interpreter runs it next. */
export function sideExit(s: Site): string {
  return `{ret[0]=(pcLo+${s.k})|0;ret[1]=pcHi;return ~(c+${s.i});}`;
}

/** Writes the 64-bit pair (lo, hi expressions) to rd; nothing for x0. */
function put(rd: number, lo: string, hi: string): string {
  return rd === 0 ? '' : `x[${2 * rd}]=${lo};x[${2 * rd + 1}]=${hi};`;
}

/** A 64-bit add of a constant to (aLo, aHi) named `lo`, `hi` in the emitted code. */
function addConst(aLo: string, aHi: string, imm: number): string {
  if (imm === 0) return `const lo=${aLo};const hi=${aHi};`;
  return `const a=${aLo};const lo=(a+${imm})|0;const hi=(${aHi}+${imm >> 31}+((lo>>>0)<(a>>>0)?1:0))|0;`;
}

function shiftLeftConst(sh: number): string {
  if (sh === 0) return 'const lo=a;const hi=ah;';
  if (sh < 32) return `const hi=(ah<<${sh})|(a>>>${32 - sh});const lo=a<<${sh};`;
  return `const hi=a<<${sh - 32};const lo=0;`;
}

function shiftRightConst(sh: number, arith: boolean): string {
  const op = arith ? '>>' : '>>>';
  if (sh === 0) return 'const lo=a;const hi=ah;';
  if (sh < 32) return `const lo=(a>>>${sh})|(ah<<${32 - sh});const hi=ah${op}${sh};`;
  return `const lo=ah${op}${sh - 32};const hi=${arith ? 'ah>>31' : '0'};`;
}

function opImm(insn: number, rd: number, r1: number, f3: number): Emitted {
  const imm = insn >> 20;
  const ih = imm >> 31;
  const load = `const a=${xl(r1)};const ah=${xh(r1)};`;
  let body: string;
  switch (f3) {
    case 0: // ADDI
      if (rd === 0) return { kind: 'op', code: '' };
      return { kind: 'op', code: `{${addConst(xl(r1), xh(r1), imm)}${put(rd, 'lo', 'hi')}}` };
    case 1: // SLLI
      if (insn >>> 26 !== 0) return null;
      body = shiftLeftConst(imm & 63);
      break;
    case 2: // SLTI
      body = `const lo=ah<${ih}||(ah===${ih}&&(a>>>0)<${imm >>> 0})?1:0;const hi=0;`;
      break;
    case 3: // SLTIU
      body = `const lo=(ah>>>0)<${ih >>> 0}||((ah>>>0)===${ih >>> 0}&&(a>>>0)<${imm >>> 0})?1:0;const hi=0;`;
      break;
    case 4: body = `const lo=a^${imm};const hi=ah^${ih};`; break; // XORI
    case 5: { // SRLI / SRAI
      const f6 = insn >>> 26;
      if (f6 !== 0 && f6 !== 0x10) return null;
      body = shiftRightConst(imm & 63, f6 === 0x10);
      break;
    }
    case 6: body = `const lo=a|${imm};const hi=ah|${ih};`; break; // ORI
    default: body = `const lo=a&${imm};const hi=ah&${ih};`; break; // ANDI
  }
  return { kind: 'op', code: rd === 0 ? '' : `{${load}${body}${put(rd, 'lo', 'hi')}}` };
}

function op(insn: number, rd: number, r1: number, r2: number, f3: number): Emitted {
  const f7 = insn >>> 25;
  const load = `const a=${xl(r1)};const ah=${xh(r1)};const b=${xl(r2)};const bh=${xh(r2)};`;
  let body: string;
  if (f7 === 0) {
    switch (f3) {
      case 0: body = 'const lo=(a+b)|0;const hi=(ah+bh+((lo>>>0)<(a>>>0)?1:0))|0;'; break;
      case 1: body = 'const sh=b&63;let lo,hi;if(sh===0){lo=a;hi=ah;}else if(sh<32){hi=(ah<<sh)|(a>>>(32-sh));lo=a<<sh;}else{hi=a<<(sh-32);lo=0;}'; break;
      case 2: body = 'const lo=ah<bh||(ah===bh&&(a>>>0)<(b>>>0))?1:0;const hi=0;'; break;
      case 3: body = 'const lo=(ah>>>0)<(bh>>>0)||(ah===bh&&(a>>>0)<(b>>>0))?1:0;const hi=0;'; break;
      case 4: body = 'const lo=a^b;const hi=ah^bh;'; break;
      case 5: body = 'const sh=b&63;let lo,hi;if(sh===0){lo=a;hi=ah;}else if(sh<32){lo=(a>>>sh)|(ah<<(32-sh));hi=ah>>>sh;}else{lo=ah>>>(sh-32);hi=0;}'; break;
      case 6: body = 'const lo=a|b;const hi=ah|bh;'; break;
      default: body = 'const lo=a&b;const hi=ah&bh;'; break;
    }
  } else if (f7 === 0x20) {
    if (f3 === 0) body = 'const lo=(a-b)|0;const hi=(ah-bh-((a>>>0)<(b>>>0)?1:0))|0;';
    else if (f3 === 5) body = 'const sh=b&63;let lo,hi;if(sh===0){lo=a;hi=ah;}else if(sh<32){lo=(a>>>sh)|(ah<<(32-sh));hi=ah>>sh;}else{lo=ah>>(sh-32);hi=ah>>31;}';
    else return null;
  } else if (f7 === 1) {
    const fn = ['mul(a,ah,b,bh)', 'mulh(a,ah,b,bh)', 'mulhsu(a,ah,b,bh)', 'mulhu(a,ah,b,bh)', 'div(a,ah,b,bh,false)', 'divu(a,ah,b,bh,false)', 'div(a,ah,b,bh,true)', 'divu(a,ah,b,bh,true)'][f3]!;
    body = `${fn};const lo=out[0];const hi=out[1];`;
  } else return null;
  return { kind: 'op', code: rd === 0 ? '' : `{${load}${body}${put(rd, 'lo', 'hi')}}` };
}

function opImm32(insn: number, rd: number, r1: number, f3: number): Emitted {
  const imm = insn >> 20;
  const top = insn >>> 25;
  let r: string;
  if (f3 === 0) r = `(a+${imm})|0`;
  else if (f3 === 1 && top === 0) r = `a<<${imm & 31}`;
  else if (f3 === 5 && top === 0) r = `a>>>${imm & 31}`;
  else if (f3 === 5 && top === 0x20) r = `a>>${imm & 31}`;
  else return null;
  return { kind: 'op', code: rd === 0 ? '' : `{const a=${xl(r1)};const r=${r};${put(rd, 'r', 'r>>31')}}` };
}

function op32(insn: number, rd: number, r1: number, r2: number, f3: number): Emitted {
  const f7 = insn >>> 25;
  let r: string | undefined;
  if (f7 === 0) r = f3 === 0 ? '(a+b)|0' : f3 === 1 ? 'a<<(b&31)' : f3 === 5 ? 'a>>>(b&31)' : undefined;
  else if (f7 === 0x20) r = f3 === 0 ? '(a-b)|0' : f3 === 5 ? 'a>>(b&31)' : undefined;
  else if (f7 === 1) {
    r = [
      'Math.imul(a,b)', undefined, undefined, undefined,
      'b===0?-1:a===-0x80000000&&b===-1?a:(a/b)|0',
      'b===0?-1:((a>>>0)/(b>>>0))|0',
      'b===0?a:a===-0x80000000&&b===-1?0:(a%b)|0',
      'b===0?a:((a>>>0)%(b>>>0))|0',
    ][f3];
  }
  if (r === undefined) return null;
  return { kind: 'op', code: rd === 0 ? '' : `{const a=${xl(r1)};const b=${xl(r2)};const r=${r};${put(rd, 'r', 'r>>31')}}` };
}

/** The effective address (`lo`, `hi`) and the TLB lookup; misses and misalignment side-exit. */
function address(r1: number, imm: number, size: number, tlb: 'r' | 'w', s: Site): string {
  const aligned = size === 1 ? '' : `||(lo&${size - 1})!==0`;
  return (
    addConst(xl(r1), xh(r1), imm) +
    `const ti=(lo>>>12)&4095;if(${tlb}TagLo[ti]!==(lo&-4096)||${tlb}TagHi[ti]!==hi${aligned})${sideExit(s)}` +
    `const o=${tlb}Off[ti]+(lo&4095);`
  );
}

const LOADS: readonly (readonly [number, string, string] | undefined)[] = [
  [1, 'const v=(u8[o]<<24)>>24;', 'v>>31'],
  [2, 'const v=(u16[o>>>1]<<16)>>16;', 'v>>31'],
  [4, 'const v=i32[o>>>2];', 'v>>31'],
  [8, 'const v=i32[o>>>2];', 'i32[(o>>>2)+1]'],
  [1, 'const v=u8[o];', '0'],
  [2, 'const v=u16[o>>>1];', '0'],
  [4, 'const v=i32[o>>>2];', '0'],
  undefined,
];

function load(insn: number, rd: number, r1: number, f3: number, s: Site): Emitted {
  const l = LOADS[f3];
  if (!l) return null;
  const [size, read, hi] = l;
  // A load into x0 still translates and can fault: keep the check, drop the write.
  const write = rd === 0 ? '' : `${read}x[${2 * rd + 1}]=${hi};x[${2 * rd}]=v;`;
  return { kind: 'op', code: `{${address(r1, insn >> 20, size, 'r', s)}${write}}` };
}

function store(insn: number, r1: number, r2: number, f3: number, s: Site): Emitted {
  if (f3 > 3) return null;
  const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
  const write = [`u8[o]=${xl(r2)};`, `u16[o>>>1]=${xl(r2)};`, `i32[o>>>2]=${xl(r2)};`, `i32[o>>>2]=${xl(r2)};i32[(o>>>2)+1]=${xh(r2)};`][f3]!;
  return { kind: 'op', code: `{${address(r1, imm, 1 << f3, 'w', s)}${write}dirty[o>>>12]=1;}` };
}

function loadFp(insn: number, rd: number, r1: number, f3: number, s: Site): Emitted {
  if (f3 !== 2 && f3 !== 3) return null;
  const size = f3 === 2 ? 4 : 8;
  const hi = size === 4 ? '-1' : 'i32[(o>>>2)+1]';
  return { kind: 'op', fp: 'write', code: `{${address(r1, insn >> 20, size, 'r', s)}f[${2 * rd + 1}]=${hi};f[${2 * rd}]=i32[o>>>2];}` };
}

function storeFp(insn: number, r1: number, r2: number, f3: number, s: Site): Emitted {
  if (f3 !== 2 && f3 !== 3) return null;
  const size = f3 === 2 ? 4 : 8;
  const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
  const write = `i32[o>>>2]=f[${2 * r2}];` + (size === 8 ? `i32[(o>>>2)+1]=f[${2 * r2 + 1}];` : '');
  // A store reads FP state without changing it: FS stays as it is (the interpreter's STORE-FP).
  return { kind: 'op', fp: 'read', code: `{${address(r1, imm, size, 'w', s)}${write}dirty[o>>>12]=1;}` };
}

/** FP arithmetic through the interpreter's own functions; an illegal encoding side-exits. */
function fpArith(insn: number, rd: number, s: Site): Emitted {
  const hot = (insn & 0x7f) === 0x53 ? `hotFpD(fd,${insn},s.frm,s.fflags)` : '-2';
  // Instructions writing an integer register may write x0 (FCVT.W.D x0, ...): re-zero it.
  const x0 = rd === 0 ? 'x[0]=0;x[1]=0;' : '';
  return {
    kind: 'op',
    fp: 'write',
    code: `{let fl=${hot};if(fl===-2)fl=execFp(x,f,fd,fs,${insn},s.frm);if(fl<0)${sideExit(s)}s.fflags|=fl;${x0}}`,
  };
}

/** The pc of the instruction at byte offset k plus a constant, as `ret` and a return. */
function jumpTo(k: number, imm: number, retired: string): string {
  return `{const p=(pcLo+${k})|0;const t=(p+${imm})|0;ret[0]=t;ret[1]=(pcHi+${imm >> 31}+((t>>>0)<(p>>>0)?1:0))|0;return ${retired};}`;
}

/** How a taken branch back to the block's own start continues a self-loop (block.ts). */
export const LOOP_AGAIN = '/*again*/';

const CONDITIONS = [
  'a===b&&ah===bh',
  'a!==b||ah!==bh',
  undefined,
  undefined,
  'ah<bh||(ah===bh&&(a>>>0)<(b>>>0))',
  'ah>bh||(ah===bh&&(a>>>0)>=(b>>>0))',
  '(ah>>>0)<(bh>>>0)||(ah===bh&&(a>>>0)<(b>>>0))',
  '(ah>>>0)>(bh>>>0)||(ah===bh&&(a>>>0)>=(b>>>0))',
];

function branch(insn: number, r1: number, r2: number, f3: number, s: Site): Emitted {
  const cond = CONDITIONS[f3];
  if (!cond) return null;
  const imm = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
  const n = `c+${s.i + 1}`;
  const taken = s.k + imm === 0 ? LOOP_AGAIN : jumpTo(s.k, imm, n);
  return {
    kind: 'end',
    code: `{const a=${xl(r1)};const ah=${xh(r1)};const b=${xl(r2)};const bh=${xh(r2)};if(${cond})${taken}}${jumpTo(s.k, s.ilen, n)}`,
  };
}

function link(rd: number, s: Site): string {
  return rd === 0 ? '' : `{const p=(pcLo+${s.k})|0;const t=(p+${s.ilen})|0;x[${2 * rd}]=t;x[${2 * rd + 1}]=(t>>>0)<(p>>>0)?(pcHi+1)|0:pcHi;}`;
}

function jal(insn: number, rd: number, s: Site): Emitted {
  const imm = ((insn >> 31) << 20) | (insn & 0xff000) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
  const taken = s.k + imm === 0 ? LOOP_AGAIN : jumpTo(s.k, imm, `c+${s.i + 1}`);
  return { kind: 'end', code: link(rd, s) + taken };
}

function jalr(insn: number, rd: number, r1: number, f3: number, s: Site): Emitted {
  if (f3 !== 0) return null;
  // The target is read before the link is written (rd may equal rs1).
  return {
    kind: 'end',
    code: `{${addConst(xl(r1), xh(r1), insn >> 20)}${link(rd, s)}ret[0]=lo&-2;ret[1]=hi;return c+${s.i + 1};}`,
  };
}

/** The emitted code for `insn` (already expanded if compressed) at `site`, or null. */
export function emit(insn: number, site: Site): Emitted {
  const rd = (insn >>> 7) & 31;
  const r1 = (insn >>> 15) & 31;
  const r2 = (insn >>> 20) & 31;
  const f3 = (insn >>> 12) & 7;
  if ((insn & 3) !== 3) return null;
  switch ((insn >>> 2) & 31) {
    case 0x04: return opImm(insn, rd, r1, f3);
    case 0x0d: { // LUI
      const lo = insn & 0xfffff000;
      return { kind: 'op', code: put(rd, String(lo | 0), String(lo >> 31)) };
    }
    case 0x05: { // AUIPC
      const imm = insn & 0xfffff000;
      if (rd === 0) return { kind: 'op', code: '' };
      return { kind: 'op', code: `{const p=(pcLo+${site.k})|0;const lo=(p+${imm | 0})|0;${put(rd, 'lo', `(pcHi+${imm >> 31}+((lo>>>0)<(p>>>0)?1:0))|0`)}}` };
    }
    case 0x0c: return op(insn, rd, r1, r2, f3);
    case 0x06: return opImm32(insn, rd, r1, f3);
    case 0x0e: return op32(insn, rd, r1, r2, f3);
    case 0x00: return load(insn, rd, r1, f3, site);
    case 0x08: return store(insn, r1, r2, f3, site);
    case 0x18: return branch(insn, r1, r2, f3, site);
    case 0x1b: return jal(insn, rd, site);
    case 0x19: return jalr(insn, rd, r1, f3, site);
    case 0x03: return f3 > 1 ? null : { kind: 'op', code: '' }; // FENCE, FENCE.I: nothing to order or flush
    case 0x01: return loadFp(insn, rd, r1, f3, site);
    case 0x09: return storeFp(insn, r1, r2, f3, site);
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x14:
      return fpArith(insn, rd, site);
    default: return null;
  }
}

/** mstatus.FS as a literal for the generated code. */
export const FS_MASK = MSTATUS.FS;
