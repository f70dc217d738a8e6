export { Uart16550, type SerialBackend } from './uart16550.ts';
export { type Uart16550State, createUart16550State, resetUart16550 } from './state.ts';
export * from './regs.ts';
export { uart16550Description } from './description.ts';
