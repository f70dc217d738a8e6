export { Clint } from './clint.ts';
export { type ClintState, createClintState, resetClint } from './state.ts';
export * from './regs.ts';
export { clintDescription } from './description.ts';
