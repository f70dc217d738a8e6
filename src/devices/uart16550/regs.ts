/**
 * NS16550A register offsets and bits (reg-shift 0: one byte per register), named as in the
 * National Semiconductor PC16550D datasheet and Linux's include/uapi/linux/serial_reg.h.
 */
export const UartReg = {
  /** Receiver Buffer (read, DLAB = 0) / Transmitter Holding (write, DLAB = 0) / Divisor Latch LSB (DLAB = 1). */
  RBR_THR_DLL: 0,
  /** Interrupt Enable (DLAB = 0) / Divisor Latch MSB (DLAB = 1). */
  IER_DLM: 1,
  /** Interrupt Identification (read) / FIFO Control (write). */
  IIR_FCR: 2,
  LCR: 3,
  MCR: 4,
  LSR: 5,
  MSR: 6,
  SCR: 7,
} as const;

/** Interrupt Enable Register bits. */
export const IER = {
  /** Enable Received Data Available interrupt (and character timeout). */
  ERBFI: 0x01,
  /** Enable Transmitter Holding Register Empty interrupt. */
  ETBEI: 0x02,
  /** Enable Receiver Line Status interrupt. */
  ELSI: 0x04,
  /** Enable Modem Status interrupt. */
  EDSSI: 0x08,
} as const;
/** The IER bits a 16550A implements. */
export const IER_MASK = 0x0f;

/** Interrupt Identification Register values (bits 3:0) and the FIFO-enabled marker (bits 7:6). */
export const IIR = {
  NO_INT: 0x01,
  MODEM_STATUS: 0x00,
  THR_EMPTY: 0x02,
  RX_DATA: 0x04,
  LINE_STATUS: 0x06,
  CHAR_TIMEOUT: 0x0c,
  FIFOS_ENABLED: 0xc0,
} as const;

/** FIFO Control Register bits. */
export const FCR = {
  FIFO_ENABLE: 0x01,
  CLEAR_RX: 0x02,
  CLEAR_TX: 0x04,
  DMA_MODE: 0x08,
  /** Receiver trigger level field, bits 7:6: 1, 4, 8 or 14 bytes. */
  TRIGGER_MASK: 0xc0,
  TRIGGER_SHIFT: 6,
} as const;
export const RX_TRIGGER_LEVELS = [1, 4, 8, 14] as const;

/** Line Control Register bits. */
export const LCR = {
  /** Divisor Latch Access Bit. */
  DLAB: 0x80,
} as const;

/** Modem Control Register bits. */
export const MCR = {
  DTR: 0x01,
  RTS: 0x02,
  OUT1: 0x04,
  OUT2: 0x08,
  LOOP: 0x10,
} as const;
export const MCR_MASK = 0x1f;

/** Line Status Register bits. */
export const LSR = {
  DR: 0x01,
  OE: 0x02,
  PE: 0x04,
  FE: 0x08,
  BI: 0x10,
  THRE: 0x20,
  TEMT: 0x40,
  FIFOE: 0x80,
} as const;
/** The LSR bits that raise a receiver line status interrupt and clear on an LSR read. */
export const LSR_ERRORS = LSR.OE | LSR.PE | LSR.FE | LSR.BI;

/** Modem Status Register bits: deltas in 3:0, line states in 7:4. */
export const MSR = {
  DCTS: 0x01,
  DDSR: 0x02,
  TERI: 0x04,
  DDCD: 0x08,
  CTS: 0x10,
  DSR: 0x20,
  RI: 0x40,
  DCD: 0x80,
} as const;
export const MSR_DELTAS = 0x0f;
/** Line states when not in loopback: the host side is always "connected" (as QEMU's serial). */
export const MSR_CONNECTED = MSR.DCD | MSR.DSR | MSR.CTS;

/** Depth of the receive FIFO of a 16550A. */
export const RX_FIFO_SIZE = 16;
