/**
 * Decodes CSR values into the named fields of the privileged specification (1.12) for the
 * registers panel. Field positions come from core/isa/csr.ts where it names them; the fields
 * above bit 31 (UXL, SXL, SD, satp's) are spelled out here with their spec section.
 */
import { CSR, MIP, MSTATUS, SATP_MODE } from '../core/isa/csr.ts';
import { CAUSE, PRIV } from '../core/isa/causes.ts';

export interface CsrField {
  name: string;
  /** The field's value: decimal for fields up to 4 bits wide, `0x…` hex for wider ones. */
  value: string;
  /** A spelled-out meaning where the spec gives one (`S` for MPP = 1, `Sv39` for MODE = 8). */
  meaning?: string;
}

export interface DecodedCsr {
  name: string;
  /** The whole register as 16 hex digits. */
  hex: string;
  fields: CsrField[];
}

interface FieldSpec {
  name: string;
  lsb: number;
  width: number;
  meanings?: Readonly<Record<number, string>>;
}

/** A one-or-more-bit field given by its mask in the low word (as core/isa/csr.ts names them). */
function masked(name: string, mask: number, meanings?: Readonly<Record<number, string>>): FieldSpec {
  const m = mask >>> 0;
  const lsb = 31 - Math.clz32(m & -m);
  const width = 32 - Math.clz32(m) - lsb;
  return { name, lsb, width, meanings };
}

const PRIV_NAMES: Readonly<Record<number, string>> = { [PRIV.U]: 'U', [PRIV.S]: 'S', [PRIV.M]: 'M' };
const FS_NAMES: Readonly<Record<number, string>> = { 0: 'Off', 1: 'Initial', 2: 'Clean', 3: 'Dirty' };
const XLEN_NAMES: Readonly<Record<number, string>> = { 1: '32', 2: '64', 3: '128' };

/** mstatus (3.1.6). UXL is bits 33:32, SXL 35:34, SD 63. */
const MSTATUS_FIELDS: readonly FieldSpec[] = [
  masked('SIE', MSTATUS.SIE),
  masked('MIE', MSTATUS.MIE),
  masked('SPIE', MSTATUS.SPIE),
  masked('UBE', MSTATUS.UBE),
  masked('MPIE', MSTATUS.MPIE),
  masked('SPP', MSTATUS.SPP, { 0: 'U', 1: 'S' }),
  { name: 'VS', lsb: MSTATUS.VS_SHIFT, width: 2, meanings: FS_NAMES },
  masked('MPP', MSTATUS.MPP, PRIV_NAMES),
  masked('FS', MSTATUS.FS, FS_NAMES),
  masked('XS', MSTATUS.XS, FS_NAMES),
  masked('MPRV', MSTATUS.MPRV),
  masked('SUM', MSTATUS.SUM),
  masked('MXR', MSTATUS.MXR),
  masked('TVM', MSTATUS.TVM),
  masked('TW', MSTATUS.TW),
  masked('TSR', MSTATUS.TSR),
  { name: 'UXL', lsb: 32, width: 2, meanings: XLEN_NAMES },
  { name: 'SXL', lsb: 34, width: 2, meanings: XLEN_NAMES },
  { name: 'SD', lsb: 63, width: 1 },
];

/** sstatus (4.1.1): the supervisor view of mstatus. */
const SSTATUS_NAMES = new Set(['SIE', 'SPIE', 'UBE', 'SPP', 'VS', 'FS', 'XS', 'SUM', 'MXR', 'UXL', 'SD']);
const SSTATUS_FIELDS = MSTATUS_FIELDS.filter((f) => SSTATUS_NAMES.has(f.name));

/** mip / mie (3.1.9); sip / sie show the same positions. */
const INTERRUPT_FIELDS: readonly FieldSpec[] = [
  masked('SSI', MIP.SSIP),
  masked('MSI', MIP.MSIP),
  masked('STI', MIP.STIP),
  masked('MTI', MIP.MTIP),
  masked('SEI', MIP.SEIP),
  masked('MEI', MIP.MEIP),
];

/** satp for RV64 (4.1.11): MODE 63:60, ASID 59:44, PPN 43:0. */
const SATP_FIELDS: readonly FieldSpec[] = [
  { name: 'MODE', lsb: 60, width: 4, meanings: { [SATP_MODE.BARE]: 'Bare', [SATP_MODE.SV39]: 'Sv39', [SATP_MODE.SV48]: 'Sv48', [SATP_MODE.SV57]: 'Sv57' } },
  { name: 'ASID', lsb: 44, width: 16 },
  { name: 'PPN', lsb: 0, width: 44 },
];

/** mtvec / stvec (3.1.7): MODE 1:0, BASE the rest (shown as the address it denotes). */
const TVEC_MODES: Readonly<Record<number, string>> = { 0: 'Direct', 1: 'Vectored' };

/** Exception codes (table 3.6). */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  [CAUSE.MISALIGNED_FETCH]: 'instruction address misaligned',
  [CAUSE.FETCH_ACCESS]: 'instruction access fault',
  [CAUSE.ILLEGAL_INSTRUCTION]: 'illegal instruction',
  [CAUSE.BREAKPOINT]: 'breakpoint',
  [CAUSE.MISALIGNED_LOAD]: 'load address misaligned',
  [CAUSE.LOAD_ACCESS]: 'load access fault',
  [CAUSE.MISALIGNED_STORE]: 'store/AMO address misaligned',
  [CAUSE.STORE_ACCESS]: 'store/AMO access fault',
  [CAUSE.USER_ECALL]: 'environment call from U-mode',
  [CAUSE.SUPERVISOR_ECALL]: 'environment call from S-mode',
  [CAUSE.MACHINE_ECALL]: 'environment call from M-mode',
  [CAUSE.FETCH_PAGE_FAULT]: 'instruction page fault',
  [CAUSE.LOAD_PAGE_FAULT]: 'load page fault',
  [CAUSE.STORE_PAGE_FAULT]: 'store/AMO page fault',
};

/** Interrupt codes (table 3.6, Interrupt = 1). */
export const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  1: 'supervisor software interrupt',
  3: 'machine software interrupt',
  5: 'supervisor timer interrupt',
  7: 'machine timer interrupt',
  9: 'supervisor external interrupt',
  11: 'machine external interrupt',
};

export function hex64(v: bigint): string {
  return BigInt.asUintN(64, v).toString(16).padStart(16, '0');
}

/** Fields this wide or narrower print in decimal. */
const DECIMAL_MAX_WIDTH = 4;

function show(value: bigint, width: number): string {
  return width <= DECIMAL_MAX_WIDTH ? value.toString() : '0x' + value.toString(16);
}

function named(name: string, value: bigint, width: number, meanings?: Readonly<Record<number, string>>): CsrField {
  const meaning = meanings?.[Number(value)];
  const text = show(value, width);
  return meaning === undefined ? { name, value: text } : { name, value: text, meaning };
}

function field(v: bigint, f: FieldSpec): CsrField {
  return named(f.name, (v >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n), f.width, f.meanings);
}

function decodeFields(name: string, v: bigint, fields: readonly FieldSpec[]): DecodedCsr {
  return { name, hex: hex64(v), fields: fields.map((f) => field(v, f)) };
}

/** mcause / scause (3.1.15): Interrupt at bit 63, Exception Code below. */
function decodeCause(name: string, v: bigint): DecodedCsr {
  const interrupt = (v >> 63n) & 1n;
  const code = BigInt.asUintN(63, v);
  return {
    name,
    hex: hex64(v),
    fields: [named('Interrupt', interrupt, 1), { ...named('Code', code, 63, interrupt ? INTERRUPT_NAMES : EXCEPTION_NAMES), value: code.toString() }],
  };
}

function decodeTvec(name: string, v: bigint): DecodedCsr {
  const u = BigInt.asUintN(64, v);
  return { name, hex: hex64(v), fields: [named('BASE', u & ~3n, 64), named('MODE', u & 3n, 2, TVEC_MODES)] };
}

/** The CSRs the registers panel shows, in display order, and how each decodes. */
export const INSPECTED_CSRS: readonly { name: string; csr: number; decode: (name: string, v: bigint) => DecodedCsr }[] = [
  { name: 'mstatus', csr: CSR.MSTATUS, decode: (n, v) => decodeFields(n, v, MSTATUS_FIELDS) },
  { name: 'sstatus', csr: CSR.SSTATUS, decode: (n, v) => decodeFields(n, v, SSTATUS_FIELDS) },
  { name: 'mcause', csr: CSR.MCAUSE, decode: decodeCause },
  { name: 'scause', csr: CSR.SCAUSE, decode: decodeCause },
  { name: 'mepc', csr: CSR.MEPC, decode: (n, v) => decodeFields(n, v, []) },
  { name: 'sepc', csr: CSR.SEPC, decode: (n, v) => decodeFields(n, v, []) },
  { name: 'mtval', csr: CSR.MTVAL, decode: (n, v) => decodeFields(n, v, []) },
  { name: 'stval', csr: CSR.STVAL, decode: (n, v) => decodeFields(n, v, []) },
  { name: 'satp', csr: CSR.SATP, decode: (n, v) => decodeFields(n, v, SATP_FIELDS) },
  { name: 'mip', csr: CSR.MIP, decode: (n, v) => decodeFields(n, v, INTERRUPT_FIELDS) },
  { name: 'mie', csr: CSR.MIE, decode: (n, v) => decodeFields(n, v, INTERRUPT_FIELDS) },
  { name: 'mideleg', csr: CSR.MIDELEG, decode: (n, v) => decodeFields(n, v, INTERRUPT_FIELDS) },
  { name: 'mtvec', csr: CSR.MTVEC, decode: decodeTvec },
  { name: 'stvec', csr: CSR.STVEC, decode: decodeTvec },
];

export function decodeCsr(name: string, value: bigint): DecodedCsr {
  const entry = INSPECTED_CSRS.find((c) => c.name === name);
  if (!entry) throw new Error(`no decoder for CSR ${name}`);
  return entry.decode(name, value);
}
