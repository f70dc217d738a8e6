/**
 * A level-triggered interrupt line. A device holds one per interrupt output and sets its
 * level whenever its state changes; the receiver (PLIC source, or a hart's `mip` bit)
 * decides what the level means. Setting the same level twice is harmless.
 */
export interface IrqLine {
  set(level: boolean): void;
}

/** A line that goes nowhere: for tests and devices whose interrupt is not wired. */
export const NO_IRQ: IrqLine = { set() {} };
