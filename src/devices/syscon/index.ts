export { Syscon, type SysconEvent, type SysconHandler } from './syscon.ts';
export { type SysconState, createSysconState, resetSyscon } from './state.ts';
export * from './regs.ts';
export { sysconDescription } from './description.ts';
