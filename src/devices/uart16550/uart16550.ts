/**
 * NS16550A UART as on QEMU's `virt` board (reg-shift 0, 1-byte registers), the device
 * Linux's 8250 driver and OpenSBI's uart8250 console drive.
 *
 * Transmission is instantaneous: a THR write hands the byte to the backend at once, so THR
 * and the transmitter are always empty (LSR.THRE and LSR.TEMT always read 1).
 *
 * The THR-empty interrupt follows the 16550's "ipending" latch (as QEMU's serial.c):
 * it is set when THR becomes empty (right after every THR write here) and when ETBEI is
 * enabled while THR is empty; it is cleared by reading IIR while THR-empty is the reported
 * cause, or by writing THR. Linux's startup probe for UART_BUG_THRE depends on this.
 *
 * The character timeout (IIR = 0x0c) is modelled as already elapsed: whenever the RX FIFO
 * holds fewer bytes than the trigger level, the timeout interrupt is reported. Host input
 * arrives between time slices, so a whole batch is in the FIFO before the guest looks.
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import {
  FCR,
  IER,
  IER_MASK,
  IIR,
  LCR,
  LSR,
  LSR_ERRORS,
  MCR,
  MCR_MASK,
  MSR,
  MSR_CONNECTED,
  MSR_DELTAS,
  RX_FIFO_SIZE,
  RX_TRIGGER_LEVELS,
  UartReg,
} from './regs.ts';
import type { Uart16550State } from './state.ts';

/** Where transmitted bytes go (the host console). The array is not reused by the UART. */
export interface SerialBackend {
  write(bytes: Uint8Array): void;
}

export class Uart16550 implements MmioDevice {
  constructor(
    readonly state: Uart16550State,
    private readonly backend: SerialBackend,
    private readonly irq: IrqLine,
  ) {}

  /**
   * Offers one received byte from the host. Returns false (nothing changes) when the FIFO is
   * full or the UART is in loopback (its input is disconnected); the host keeps the byte.
   */
  receive(byte: number): boolean {
    if (this.state.mcr & MCR.LOOP) return false;
    if (!this.pushRx(byte)) return false;
    this.updateIrq();
    return true;
  }

  /** Offers bytes in order; returns how many were taken (the rest stay with the host). */
  receiveBytes(bytes: Uint8Array): number {
    let n = 0;
    while (n < bytes.length && this.receive(bytes[n]!)) n++;
    return n;
  }

  /** Free room in the receive FIFO (1 byte deep when FIFOs are disabled). */
  rxSpace(): number {
    return this.rxCapacity() - this.state.rxCount;
  }

  read(offset: number, _size: AccessSize): number {
    const s = this.state;
    const dlab = (s.lcr & LCR.DLAB) !== 0;
    switch (offset) {
      case UartReg.RBR_THR_DLL:
        return dlab ? s.dll : this.popRx();
      case UartReg.IER_DLM:
        return dlab ? s.dlm : s.ier;
      case UartReg.IIR_FCR: {
        const cause = this.pendingCause();
        if (cause === IIR.THR_EMPTY) {
          s.thrIpending = false;
          this.updateIrq();
        }
        return cause | (s.fcr & FCR.FIFO_ENABLE ? IIR.FIFOS_ENABLED : 0);
      }
      case UartReg.LCR:
        return s.lcr;
      case UartReg.MCR:
        return s.mcr;
      case UartReg.LSR: {
        const lsr = this.lsr();
        if (s.lsrErrors) {
          s.lsrErrors = 0;
          this.updateIrq();
        }
        return lsr;
      }
      case UartReg.MSR: {
        const msr = s.msr;
        if (msr & MSR_DELTAS) {
          s.msr &= ~MSR_DELTAS;
          this.updateIrq();
        }
        return msr;
      }
      case UartReg.SCR:
        return s.scr;
      default:
        return 0;
    }
  }

  write(offset: number, _size: AccessSize, value: number): void {
    const s = this.state;
    const v = value & 0xff;
    const dlab = (s.lcr & LCR.DLAB) !== 0;
    switch (offset) {
      case UartReg.RBR_THR_DLL:
        if (dlab) s.dll = v;
        else this.transmit(v);
        break;
      case UartReg.IER_DLM:
        if (dlab) {
          s.dlm = v;
        } else {
          const changed = (s.ier ^ v) & IER.ETBEI;
          s.ier = v & IER_MASK;
          // THR is always empty here, so enabling ETBEI latches the THR-empty interrupt.
          if (changed) s.thrIpending = (s.ier & IER.ETBEI) !== 0;
        }
        break;
      case UartReg.IIR_FCR:
        this.writeFcr(v);
        break;
      case UartReg.LCR:
        s.lcr = v;
        break;
      case UartReg.MCR:
        this.writeMcr(v);
        break;
      case UartReg.SCR:
        s.scr = v;
        break;
      default:
        return; // LSR and MSR are read-only
    }
    this.updateIrq();
  }

  /** Re-derives the IRQ output after `state` was replaced from a snapshot. */
  afterLoad(): void {
    this.updateIrq();
  }

  /** The cause IIR would report now (bits 3:0), by 16550 priority. */
  pendingCause(): number {
    const s = this.state;
    if (s.ier & IER.ELSI && s.lsrErrors & LSR_ERRORS) return IIR.LINE_STATUS;
    if (s.ier & IER.ERBFI && s.rxCount > 0) {
      const fifo = (s.fcr & FCR.FIFO_ENABLE) !== 0;
      return !fifo || s.rxCount >= this.rxTrigger() ? IIR.RX_DATA : IIR.CHAR_TIMEOUT;
    }
    if (s.ier & IER.ETBEI && s.thrIpending) return IIR.THR_EMPTY;
    if (s.ier & IER.EDSSI && s.msr & MSR_DELTAS) return IIR.MODEM_STATUS;
    return IIR.NO_INT;
  }

  private lsr(): number {
    const s = this.state;
    return (s.rxCount > 0 ? LSR.DR : 0) | LSR.THRE | LSR.TEMT | s.lsrErrors;
  }

  private transmit(byte: number): void {
    const s = this.state;
    s.thrIpending = false;
    if (s.mcr & MCR.LOOP) {
      if (!this.pushRx(byte)) s.lsrErrors |= LSR.OE;
    } else {
      this.backend.write(Uint8Array.of(byte));
    }
    s.thrIpending = true; // the transmitter took the byte at once: THR is empty again
  }

  private writeFcr(v: number): void {
    const s = this.state;
    const enable = v & FCR.FIFO_ENABLE;
    if (enable !== (s.fcr & FCR.FIFO_ENABLE) || v & FCR.CLEAR_RX) this.clearRx();
    // CLEAR_TX has nothing to clear: transmission is instantaneous.
    s.fcr = enable ? v & (FCR.FIFO_ENABLE | FCR.TRIGGER_MASK) : 0;
  }

  private writeMcr(v: number): void {
    const s = this.state;
    s.mcr = v & MCR_MASK;
    const lines = s.mcr & MCR.LOOP ? loopbackLines(s.mcr) : MSR_CONNECTED;
    const old = s.msr;
    const changed = (old ^ lines) & 0xf0;
    let deltas = old & MSR_DELTAS;
    if (changed & MSR.CTS) deltas |= MSR.DCTS;
    if (changed & MSR.DSR) deltas |= MSR.DDSR;
    if (changed & MSR.DCD) deltas |= MSR.DDCD;
    if (old & MSR.RI && !(lines & MSR.RI)) deltas |= MSR.TERI; // trailing edge only
    s.msr = lines | deltas;
  }

  private rxCapacity(): number {
    return this.state.fcr & FCR.FIFO_ENABLE ? RX_FIFO_SIZE : 1;
  }

  private rxTrigger(): number {
    return RX_TRIGGER_LEVELS[(this.state.fcr & FCR.TRIGGER_MASK) >>> FCR.TRIGGER_SHIFT]!;
  }

  private pushRx(byte: number): boolean {
    const s = this.state;
    if (s.rxCount >= this.rxCapacity()) return false;
    s.rxFifo[(s.rxHead + s.rxCount) % RX_FIFO_SIZE] = byte;
    s.rxCount++;
    return true;
  }

  private popRx(): number {
    const s = this.state;
    if (s.rxCount === 0) return 0;
    const byte = s.rxFifo[s.rxHead]!;
    s.rxHead = (s.rxHead + 1) % RX_FIFO_SIZE;
    s.rxCount--;
    this.updateIrq();
    return byte;
  }

  private clearRx(): void {
    this.state.rxHead = 0;
    this.state.rxCount = 0;
  }

  private updateIrq(): void {
    this.irq.set(this.pendingCause() !== IIR.NO_INT);
  }
}

/** MSR line states in loopback: CTS←RTS, DSR←DTR, RI←OUT1, DCD←OUT2 (PC16550D §8.6.5). */
function loopbackLines(mcr: number): number {
  return (
    (mcr & MCR.RTS ? MSR.CTS : 0) |
    (mcr & MCR.DTR ? MSR.DSR : 0) |
    (mcr & MCR.OUT1 ? MSR.RI : 0) |
    (mcr & MCR.OUT2 ? MSR.DCD : 0)
  );
}
