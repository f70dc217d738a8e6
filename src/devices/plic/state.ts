import { PLIC_CONTEXTS_PER_HART, PLIC_NUM_SOURCES, PLIC_SOURCE_WORDS } from './regs.ts';

/** Guest-visible PLIC state. Bit sets are 32 sources per word (bit n of word n>>5 = source n). */
export interface PlicState {
  /** Priority per source (index 0 unused, always 0). */
  priority: Uint8Array;
  /** Gateway output: the source has an interrupt waiting to be claimed. */
  pending: Uint32Array;
  /** Claimed and not yet completed: the gateway holds back new requests. */
  inService: Uint32Array;
  /** Current input level of each level-triggered source (as last set by its device). */
  level: Uint32Array;
  /** Enable bits, PLIC_SOURCE_WORDS words per context. */
  enable: Uint32Array;
  /** Priority threshold per context. */
  threshold: Uint8Array;
}

export function createPlicState(harts = 1): PlicState {
  const contexts = harts * PLIC_CONTEXTS_PER_HART;
  return {
    priority: new Uint8Array(PLIC_NUM_SOURCES),
    pending: new Uint32Array(PLIC_SOURCE_WORDS),
    inService: new Uint32Array(PLIC_SOURCE_WORDS),
    level: new Uint32Array(PLIC_SOURCE_WORDS),
    enable: new Uint32Array(contexts * PLIC_SOURCE_WORDS),
    threshold: new Uint8Array(contexts),
  };
}

/** Resets everything the guest programs; input levels stay (they belong to the devices). */
export function resetPlic(s: PlicState): void {
  s.priority.fill(0);
  s.pending.fill(0);
  s.inService.fill(0);
  s.enable.fill(0);
  s.threshold.fill(0);
  // A source whose level is high is pending again right after reset.
  s.pending.set(s.level);
}
