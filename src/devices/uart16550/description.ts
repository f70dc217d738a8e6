/**
 * The UART's state description. Everything in `Uart16550State` is on the wire; the IRQ level
 * is derived (`afterLoad`). A receive ring that claims more bytes than the FIFO holds, or a
 * head outside it, is refused.
 */
import { describe } from '../../vmstate/index.ts';
import type { Uart16550State } from './state.ts';

export const uart16550Description = describe<Uart16550State>({
  name: 'uart16550',
  version: 1,
  fields: (f) => [
    f.u8('dll'),
    f.u8('dlm'),
    f.u8('ier'),
    f.u8('fcr'),
    f.u8('lcr'),
    f.u8('mcr'),
    f.u8('lsrErrors'),
    f.u8('msr'),
    f.u8('scr'),
    f.bytes('rxFifo'),
    f.u8('rxHead'),
    f.u8('rxCount'),
    f.bool('thrIpending'),
  ],
  postLoad: (s) => {
    const size = s.rxFifo.length;
    if (s.rxCount > size) return { field: 'rxCount', message: `${s.rxCount} bytes in a ${size}-byte receive FIFO` };
    if (s.rxHead >= size) return { field: 'rxHead', message: `head ${s.rxHead} outside the ${size}-byte receive FIFO` };
    return undefined;
  },
});
