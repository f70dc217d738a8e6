import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createUart16550State, FCR, IER, IIR, LCR, LSR, MCR, MSR, Uart16550, UartReg } from './index.ts';

function setup() {
  const out: number[] = [];
  const irq = { level: false, set(l: boolean) { this.level = l; } };
  const uart = new Uart16550(createUart16550State(), { write: (b) => out.push(...b) }, irq);
  const rd = (r: number) => uart.read(r, 1);
  const wr = (r: number, v: number) => uart.write(r, 1, v);
  return { uart, out, irq, rd, wr };
}

describe('Uart16550', () => {
  it('transmits THR writes to the backend and always reports THR/transmitter empty', () => {
    const { out, rd, wr, irq } = setup();
    for (const c of 'Hi\n') wr(UartReg.RBR_THR_DLL, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe('Hi\n');
    expect(rd(UartReg.LSR) & (LSR.THRE | LSR.TEMT)).toBe(LSR.THRE | LSR.TEMT);
    expect(irq.level).toBe(false); // no interrupt enabled
  });

  it('DLAB switches offsets 0/1 to the divisor latch', () => {
    const { out, rd, wr } = setup();
    wr(UartReg.LCR, LCR.DLAB | 0x03);
    wr(UartReg.RBR_THR_DLL, 0x01);
    wr(UartReg.IER_DLM, 0x02);
    expect(rd(UartReg.RBR_THR_DLL)).toBe(0x01);
    expect(rd(UartReg.IER_DLM)).toBe(0x02);
    expect(out).toEqual([]);
    wr(UartReg.LCR, 0x03);
    expect(rd(UartReg.IER_DLM)).toBe(0); // IER untouched
    expect(rd(UartReg.LCR)).toBe(0x03);
  });

  it('receives into the FIFO, DR reflects data, RBR pops in order', () => {
    const { uart, rd, wr } = setup();
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
    expect(uart.receiveBytes(new TextEncoder().encode('abc'))).toBe(3);
    expect(rd(UartReg.LSR) & LSR.DR).toBe(LSR.DR);
    expect([rd(0), rd(0), rd(0)]).toEqual([0x61, 0x62, 0x63]);
    expect(rd(UartReg.LSR) & LSR.DR).toBe(0);
  });

  it('refuses bytes when the 16-byte FIFO is full (1 byte when FIFOs are off)', () => {
    const { uart, rd, wr } = setup();
    expect(uart.receive(1)).toBe(true);
    expect(uart.receive(2)).toBe(false);
    expect(rd(0)).toBe(1);
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
    const data = Uint8Array.from({ length: 20 }, (_, i) => i);
    expect(uart.receiveBytes(data)).toBe(16);
    expect(uart.rxSpace()).toBe(0);
    for (let i = 0; i < 16; i++) expect(rd(0)).toBe(i);
    expect(uart.rxSpace()).toBe(16);
  });

  it('FCR clear-RX and toggling FIFO enable empty the receiver', () => {
    const { uart, rd, wr } = setup();
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
    uart.receiveBytes(Uint8Array.of(1, 2, 3));
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE | FCR.CLEAR_RX);
    expect(rd(UartReg.LSR) & LSR.DR).toBe(0);
    uart.receiveBytes(Uint8Array.of(1, 2, 3));
    wr(UartReg.IIR_FCR, 0);
    expect(rd(UartReg.LSR) & LSR.DR).toBe(0);
  });

  it('IIR reports FIFO-enabled bits', () => {
    const { rd, wr } = setup();
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.NO_INT);
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.NO_INT | IIR.FIFOS_ENABLED);
  });

  it('RX interrupt: character timeout below trigger level, RX data at the trigger level', () => {
    const { uart, rd, wr, irq } = setup();
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE | (2 << FCR.TRIGGER_SHIFT)); // trigger 8
    wr(UartReg.IER_DLM, IER.ERBFI);
    expect(irq.level).toBe(false);
    uart.receive(0x41);
    expect(irq.level).toBe(true);
    expect(rd(UartReg.IIR_FCR) & 0x0f).toBe(IIR.CHAR_TIMEOUT);
    uart.receiveBytes(new Uint8Array(7));
    expect(rd(UartReg.IIR_FCR) & 0x0f).toBe(IIR.RX_DATA);
    for (let i = 0; i < 8; i++) rd(0);
    expect(irq.level).toBe(false);
    expect(rd(UartReg.IIR_FCR) & 0x0f).toBe(IIR.NO_INT);
  });

  it('THR-empty ipending: set by enabling ETBEI, cleared by reading IIR, set again by a THR write', () => {
    const { rd, wr, irq } = setup();
    wr(UartReg.IER_DLM, IER.ETBEI);
    expect(irq.level).toBe(true);
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.THR_EMPTY);
    expect(irq.level).toBe(false);
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.NO_INT); // cleared by the previous read
    wr(UartReg.RBR_THR_DLL, 0x41);
    expect(irq.level).toBe(true);
    wr(UartReg.IER_DLM, 0);
    expect(irq.level).toBe(false);
  });

  it("passes Linux 8250's UART_BUG_THRE probe (THRE re-asserts when ETBEI is re-enabled)", () => {
    const { rd, wr } = setup();
    wr(UartReg.IER_DLM, IER.ETBEI);
    const iir1 = rd(UartReg.IIR_FCR);
    wr(UartReg.IER_DLM, 0);
    wr(UartReg.IER_DLM, IER.ETBEI);
    const iir = rd(UartReg.IIR_FCR);
    wr(UartReg.IER_DLM, 0);
    expect(iir1 & IIR.NO_INT).toBe(0);
    expect(iir & IIR.NO_INT).toBe(0);
  });

  it('reading IIR does not clear THR-empty when a higher-priority cause is reported', () => {
    const { uart, rd, wr } = setup();
    wr(UartReg.IER_DLM, IER.ETBEI | IER.ERBFI);
    uart.receive(0x42);
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.RX_DATA);
    rd(UartReg.RBR_THR_DLL);
    expect(rd(UartReg.IIR_FCR)).toBe(IIR.THR_EMPTY);
  });

  it('priorities: line status > RX data > THR empty > modem status', () => {
    const { uart, rd, wr } = setup();
    wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
    wr(UartReg.MCR, MCR.LOOP);
    for (let i = 0; i < 17; i++) wr(UartReg.RBR_THR_DLL, i); // 17th overruns in loopback
    wr(UartReg.MCR, MCR.LOOP | MCR.RTS); // CTS changes: modem status delta
    wr(UartReg.IER_DLM, IER.ELSI | IER.ERBFI | IER.ETBEI | IER.EDSSI);
    const cause = () => rd(UartReg.IIR_FCR) & 0x0f;
    expect(cause()).toBe(IIR.LINE_STATUS);
    expect(rd(UartReg.LSR) & LSR.OE).toBe(LSR.OE); // reading LSR clears the error
    expect(rd(UartReg.LSR) & LSR.OE).toBe(0);
    expect(cause()).toBe(IIR.RX_DATA);
    for (let i = 0; i < 16; i++) expect(rd(0)).toBe(i);
    expect(cause()).toBe(IIR.THR_EMPTY);
    expect(cause()).toBe(IIR.MODEM_STATUS);
    expect(rd(UartReg.MSR) & MSR.DCTS).toBe(MSR.DCTS);
    expect(cause()).toBe(IIR.NO_INT);
    expect(uart.pendingCause()).toBe(IIR.NO_INT);
  });

  it('loopback: TX comes back as RX, MSR mirrors MCR (the 8250 autoconfig check reads 0x90)', () => {
    const { uart, out, rd, wr } = setup();
    wr(UartReg.MCR, MCR.LOOP | MCR.OUT2 | MCR.RTS);
    expect(rd(UartReg.MSR) & 0xf0).toBe(MSR.DCD | MSR.CTS);
    wr(UartReg.RBR_THR_DLL, 0x5a);
    expect(out).toEqual([]);
    expect(rd(UartReg.RBR_THR_DLL)).toBe(0x5a);
    expect(uart.receive(1)).toBe(false); // host input is disconnected in loopback
    wr(UartReg.MCR, MCR.OUT2);
    expect(rd(UartReg.MSR) & 0xf0).toBe(MSR.DCD | MSR.DSR | MSR.CTS);
  });

  it('SCR is a scratch register', () => {
    const { rd, wr } = setup();
    wr(UartReg.SCR, 0xa5);
    expect(rd(UartReg.SCR)).toBe(0xa5);
  });

  it('afterLoad re-derives the IRQ from replaced state', () => {
    const a = setup();
    a.wr(UartReg.IER_DLM, IER.ERBFI);
    a.uart.receive(7);
    const b = setup();
    Object.assign(b.uart.state, structuredClone(a.uart.state));
    expect(b.irq.level).toBe(false);
    b.uart.afterLoad();
    expect(b.irq.level).toBe(true);
    expect(b.rd(0)).toBe(7);
  });

  it('property: bytes come out of the FIFO in the order they went in, none lost while accepted', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(-1)), { maxLength: 200 }), (ops) => {
        const { uart, rd, wr } = setup();
        wr(UartReg.IIR_FCR, FCR.FIFO_ENABLE);
        const model: number[] = [];
        for (const op of ops) {
          if (op < 0) {
            const expected = model.shift();
            expect(rd(UartReg.LSR) & LSR.DR).toBe(expected === undefined ? 0 : LSR.DR);
            if (expected !== undefined) expect(rd(0)).toBe(expected);
          } else {
            const ok = uart.receive(op);
            expect(ok).toBe(model.length < 16);
            if (ok) model.push(op);
          }
        }
      }),
    );
  });
});
