import { MSR_CONNECTED, RX_FIFO_SIZE } from './regs.ts';

/** Guest-visible state of an NS16550A. Plain data only (device convention). */
export interface Uart16550State {
  dll: number;
  dlm: number;
  ier: number;
  /** FCR bits that persist: FIFO_ENABLE and the trigger level field. */
  fcr: number;
  lcr: number;
  mcr: number;
  /** Pending receiver error bits of LSR (OE/PE/FE/BI); DR, THRE and TEMT are derived. */
  lsrErrors: number;
  msr: number;
  scr: number;
  /** Receive FIFO as a ring: `rxCount` bytes starting at `rxHead`. */
  rxFifo: Uint8Array;
  rxHead: number;
  rxCount: number;
  /** The "THR empty" interrupt is pending (see Uart16550 for when it is set and cleared). */
  thrIpending: boolean;
}

export function createUart16550State(): Uart16550State {
  const s: Uart16550State = {
    dll: 0,
    dlm: 0,
    ier: 0,
    fcr: 0,
    lcr: 0,
    mcr: 0,
    lsrErrors: 0,
    msr: 0,
    scr: 0,
    rxFifo: new Uint8Array(RX_FIFO_SIZE),
    rxHead: 0,
    rxCount: 0,
    thrIpending: false,
  };
  resetUart16550(s);
  return s;
}

/** Power-on values (PC16550D table: IER, FCR, LCR, MCR = 0; LSR = THRE | TEMT). */
export function resetUart16550(s: Uart16550State): void {
  s.dll = 0x0c; // 9600 baud at 1.8432 MHz, as QEMU's serial resets divider = 0x0c
  s.dlm = 0;
  s.ier = 0;
  s.fcr = 0;
  s.lcr = 0;
  s.mcr = 0;
  s.lsrErrors = 0;
  s.msr = MSR_CONNECTED;
  s.scr = 0;
  s.rxFifo.fill(0);
  s.rxHead = 0;
  s.rxCount = 0;
  s.thrIpending = false;
}
