export { Plic, type PlicSnapshot } from './plic.ts';
export { type PlicState, createPlicState, resetPlic } from './state.ts';
export * from './regs.ts';
export { plicDescription } from './description.ts';
