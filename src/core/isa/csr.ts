/**
 * CSR numbers and fields, named as in the RISC-V privileged specification 1.12 (chapter 2, table
 * 2.2–2.5) and the unprivileged spec's Zicsr/Zicntr/F chapters.
 */
export const enum CSR {
  // Unprivileged floating-point
  FFLAGS = 0x001,
  FRM = 0x002,
  FCSR = 0x003,
  // Unprivileged counters (Zicntr)
  CYCLE = 0xc00,
  TIME = 0xc01,
  INSTRET = 0xc02,
  // Supervisor
  SSTATUS = 0x100,
  SIE = 0x104,
  STVEC = 0x105,
  SCOUNTEREN = 0x106,
  SENVCFG = 0x10a,
  SSCRATCH = 0x140,
  SEPC = 0x141,
  SCAUSE = 0x142,
  STVAL = 0x143,
  SIP = 0x144,
  STIMECMP = 0x14d,
  SATP = 0x180,
  // Machine information
  MVENDORID = 0xf11,
  MARCHID = 0xf12,
  MIMPID = 0xf13,
  MHARTID = 0xf14,
  MCONFIGPTR = 0xf15,
  // Machine trap setup and handling
  MSTATUS = 0x300,
  MISA = 0x301,
  MEDELEG = 0x302,
  MIDELEG = 0x303,
  MIE = 0x304,
  MTVEC = 0x305,
  MCOUNTEREN = 0x306,
  MENVCFG = 0x30a,
  MCOUNTINHIBIT = 0x320,
  MSCRATCH = 0x340,
  MEPC = 0x341,
  MCAUSE = 0x342,
  MTVAL = 0x343,
  MIP = 0x344,
  MTINST = 0x34a,
  MTVAL2 = 0x34b,
  // Physical memory protection
  PMPCFG0 = 0x3a0,
  PMPCFG15 = 0x3af,
  PMPADDR0 = 0x3b0,
  PMPADDR63 = 0x3ef,
  // Machine counters
  MCYCLE = 0xb00,
  MINSTRET = 0xb02,
  MHPMCOUNTER3 = 0xb03,
  MHPMCOUNTER31 = 0xb1f,
  MHPMEVENT3 = 0x323,
  MHPMEVENT31 = 0x33f,
  HPMCOUNTER3 = 0xc03,
  HPMCOUNTER31 = 0xc1f,
  // Debug/trace triggers (Sdtrig): tselect reads back a value different from what was written
  TSELECT = 0x7a0,
  TDATA1 = 0x7a1,
  TDATA2 = 0x7a2,
  TDATA3 = 0x7a3,
}

/** mstatus / sstatus fields (privileged spec 3.1.6). Bit positions in the low 32 bits. */
export const enum MSTATUS {
  SIE = 1 << 1,
  MIE = 1 << 3,
  SPIE = 1 << 5,
  UBE = 1 << 6,
  MPIE = 1 << 7,
  SPP = 1 << 8,
  VS_SHIFT = 9,
  MPP_SHIFT = 11,
  MPP = 3 << 11,
  FS_SHIFT = 13,
  FS = 3 << 13,
  XS = 3 << 15,
  MPRV = 1 << 17,
  SUM = 1 << 18,
  MXR = 1 << 19,
  TVM = 1 << 20,
  TW = 1 << 21,
  TSR = 1 << 22,
}

/** Values of mstatus.FS (and the SD summary that follows from it). */
export const enum FS {
  OFF = 0,
  INITIAL = 1,
  CLEAN = 2,
  DIRTY = 3,
}

/** Bits of the fields of mstatus that live above bit 31 on RV64: UXL = SXL = 2 (64-bit), SD at 63. */
export const MSTATUS_HI_UXL_SXL = (2 << 0) | (2 << 2); // bits 33:32 UXL, 35:34 SXL, relative to bit 32
export const MSTATUS_HI_SD = 1 << 31; // bit 63

/** Writable mstatus bits (low word) on this hart. */
export const MSTATUS_WRITABLE =
  MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP | MSTATUS.MPP | MSTATUS.FS |
  MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR;

/** The subset of mstatus visible through sstatus. */
export const SSTATUS_MASK =
  MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.UBE | MSTATUS.SPP | MSTATUS.FS | MSTATUS.XS | MSTATUS.SUM | MSTATUS.MXR;

/** Interrupt numbers (mip/mie bit positions), privileged spec 3.1.9. */
export const enum IRQ {
  SSI = 1,
  MSI = 3,
  STI = 5,
  MTI = 7,
  SEI = 9,
  MEI = 11,
}

export const enum MIP {
  SSIP = 1 << IRQ.SSI,
  MSIP = 1 << IRQ.MSI,
  STIP = 1 << IRQ.STI,
  MTIP = 1 << IRQ.MTI,
  SEIP = 1 << IRQ.SEI,
  MEIP = 1 << IRQ.MEI,
}

/** Interrupts that supervisor mode can see (sip/sie) when delegated. */
export const S_INTERRUPTS = MIP.SSIP | MIP.STIP | MIP.SEIP;
export const ALL_INTERRUPTS = S_INTERRUPTS | MIP.MSIP | MIP.MTIP | MIP.MEIP;

/** Exceptions that medeleg may delegate (ecall from M and reserved causes stay in M). */
export const MEDELEG_WRITABLE = 0xb3ff; // causes 0-9, 12, 13, 15

/** satp.MODE values (privileged spec 4.1.11). */
export const enum SATP_MODE {
  BARE = 0,
  SV39 = 8,
  SV48 = 9,
  SV57 = 10,
}

/** menvcfg bits in the high word (bit 63 STCE, bit 62 PBMTE). */
export const MENVCFG_HI_STCE = 1 << 31;

/** fcsr fields. */
export const enum FFLAGS {
  NX = 1,
  UF = 2,
  OF = 4,
  DZ = 8,
  NV = 16,
}
