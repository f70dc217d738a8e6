export { GoldfishRtc, NS_PER_TICK } from './goldfish-rtc.ts';
export { type GoldfishRtcState, createGoldfishRtcState, resetGoldfishRtc } from './state.ts';
export * from './regs.ts';
export { goldfishRtcDescription } from './description.ts';
