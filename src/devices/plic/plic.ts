/**
 * SiFive Platform-Level Interrupt Controller, as QEMU's `virt` board has it (the layout of
 * hw/intc/sifive_plic.c; behaviour per the RISC-V PLIC specification).
 *
 * Sources are level-triggered: a device sets its input with `setSourceLevel`. The gateway
 * makes a source pending while its level is high and it is not in service; a falling level
 * withdraws a request that was not yet claimed (as QEMU does). A claim returns the enabled
 * pending source of highest priority above the context's threshold (ties: lowest id), clears
 * its pending bit and puts it in service; completing it ends service, and a source whose
 * level is still high becomes pending again. Each context drives one IrqLine: hart h has
 * context 2h (M-mode, MEIP) and 2h + 1 (S-mode, SEIP).
 */
import type { AccessSize, MmioDevice } from '../../core/bus/mmio.ts';
import type { IrqLine } from '../../core/bus/irq.ts';
import { PLIC_NUM_SOURCES, PLIC_PRIORITY_MASK, PLIC_SOURCE_WORDS, PlicReg } from './regs.ts';
import type { PlicState } from './state.ts';

/** A plain copy of the PLIC's state for display (UI panels). */
export interface PlicSnapshot {
  /** Indexed by source id; entry 0 is the non-existent source 0. */
  readonly level: boolean[];
  readonly pending: boolean[];
  readonly inService: boolean[];
  readonly priority: number[];
  readonly contexts: { readonly threshold: number; readonly enabled: number[]; readonly irq: boolean }[];
}

export class Plic implements MmioDevice {
  readonly contexts: number;

  constructor(
    readonly state: PlicState,
    /** One line per context, in context order (M then S per hart). */
    private readonly contextIrqs: readonly IrqLine[],
  ) {
    this.contexts = state.threshold.length;
    if (contextIrqs.length !== this.contexts) {
      throw new RangeError(`PLIC has ${this.contexts} contexts but ${contextIrqs.length} IRQ lines were wired`);
    }
  }

  /** Sets the input level of a source (1..95), as its device's IrqLine does. */
  setSourceLevel(source: number, level: boolean): void {
    if (source <= 0 || source >= PLIC_NUM_SOURCES) throw new RangeError(`PLIC source ${source} does not exist`);
    const s = this.state;
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    const oldLevel = s.level[w]!;
    const oldPending = s.pending[w]!;
    if (level) {
      s.level[w]! |= bit;
      if (!(s.inService[w]! & bit)) s.pending[w]! |= bit;
    } else {
      s.level[w]! &= ~bit;
      s.pending[w]! &= ~bit;
    }
    // Devices re-assert their level on every register access: skip the unchanged case.
    if (s.level[w] !== oldLevel || s.pending[w] !== oldPending) this.update();
  }

  /** An IrqLine that drives source `source` (for wiring a device's output). */
  sourceLine(source: number): IrqLine {
    if (source <= 0 || source >= PLIC_NUM_SOURCES) throw new RangeError(`PLIC source ${source} does not exist`);
    return { set: (level) => this.setSourceLevel(source, level) };
  }

  read(offset: number, _size: AccessSize): number {
    const s = this.state;
    if (offset < PlicReg.PENDING_BASE) {
      const src = offset >>> 2;
      return src < PLIC_NUM_SOURCES ? s.priority[src]! : 0;
    }
    if (offset < PlicReg.ENABLE_BASE) {
      const w = (offset - PlicReg.PENDING_BASE) >>> 2;
      return w < PLIC_SOURCE_WORDS ? s.pending[w]! >>> 0 : 0;
    }
    if (offset < PlicReg.CONTEXT_BASE) {
      const ctx = Math.floor((offset - PlicReg.ENABLE_BASE) / PlicReg.ENABLE_STRIDE);
      const w = (offset % PlicReg.ENABLE_STRIDE) >>> 2;
      if (ctx >= this.contexts || w >= PLIC_SOURCE_WORDS) return 0;
      return s.enable[ctx * PLIC_SOURCE_WORDS + w]! >>> 0;
    }
    const ctx = Math.floor((offset - PlicReg.CONTEXT_BASE) / PlicReg.CONTEXT_STRIDE);
    if (ctx >= this.contexts) return 0;
    switch (offset % PlicReg.CONTEXT_STRIDE) {
      case PlicReg.CONTEXT_THRESHOLD:
        return s.threshold[ctx]!;
      case PlicReg.CONTEXT_CLAIM:
        return this.claim(ctx);
      default:
        return 0;
    }
  }

  write(offset: number, _size: AccessSize, value: number): void {
    const s = this.state;
    if (offset < PlicReg.PENDING_BASE) {
      const src = offset >>> 2;
      if (src > 0 && src < PLIC_NUM_SOURCES) s.priority[src] = value & PLIC_PRIORITY_MASK;
    } else if (offset < PlicReg.ENABLE_BASE) {
      return; // pending bits are read-only
    } else if (offset < PlicReg.CONTEXT_BASE) {
      const ctx = Math.floor((offset - PlicReg.ENABLE_BASE) / PlicReg.ENABLE_STRIDE);
      const w = (offset % PlicReg.ENABLE_STRIDE) >>> 2;
      if (ctx >= this.contexts || w >= PLIC_SOURCE_WORDS) return;
      s.enable[ctx * PLIC_SOURCE_WORDS + w] = w === 0 ? value & ~1 : value; // source 0 is hardwired off
    } else {
      const ctx = Math.floor((offset - PlicReg.CONTEXT_BASE) / PlicReg.CONTEXT_STRIDE);
      if (ctx >= this.contexts) return;
      const reg = offset % PlicReg.CONTEXT_STRIDE;
      if (reg === PlicReg.CONTEXT_THRESHOLD) s.threshold[ctx] = value & PLIC_PRIORITY_MASK;
      else if (reg === PlicReg.CONTEXT_CLAIM) this.complete(ctx, value >>> 0);
      else return;
    }
    this.update();
  }

  /** Claims the best interrupt for `ctx` (0 if none) and puts it in service. */
  claim(ctx: number): number {
    const id = this.best(ctx);
    if (id !== 0) {
      const w = id >>> 5;
      const bit = 1 << (id & 31);
      this.state.pending[w]! &= ~bit;
      this.state.inService[w]! |= bit;
      this.update();
    }
    return id;
  }

  /**
   * Completes `id` for `ctx`. As the PLIC specification says, a completion for a source that
   * is not enabled for this context is ignored (Linux enables it around the write if needed).
   */
  complete(ctx: number, id: number): void {
    if (id <= 0 || id >= PLIC_NUM_SOURCES) return;
    const s = this.state;
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    if (!(s.enable[ctx * PLIC_SOURCE_WORDS + w]! & bit) || !(s.inService[w]! & bit)) return;
    s.inService[w]! &= ~bit;
    if (s.level[w]! & bit) s.pending[w]! |= bit;
    this.update();
  }

  /** Re-derives every context's line after `state` was replaced from a snapshot. */
  afterLoad(): void {
    this.update();
  }

  snapshot(): PlicSnapshot {
    const s = this.state;
    const bits = (words: Uint32Array) => Array.from({ length: PLIC_NUM_SOURCES }, (_, i) => (words[i >>> 5]! & (1 << (i & 31))) !== 0);
    const contexts = [];
    for (let ctx = 0; ctx < this.contexts; ctx++) {
      const en = s.enable.subarray(ctx * PLIC_SOURCE_WORDS, (ctx + 1) * PLIC_SOURCE_WORDS);
      const enabled: number[] = [];
      for (let id = 1; id < PLIC_NUM_SOURCES; id++) if (en[id >>> 5]! & (1 << (id & 31))) enabled.push(id);
      contexts.push({ threshold: s.threshold[ctx]!, enabled, irq: this.best(ctx) !== 0 });
    }
    return {
      level: bits(s.level),
      pending: bits(s.pending),
      inService: bits(s.inService),
      priority: Array.from(s.priority),
      contexts,
    };
  }

  /** Highest-priority enabled pending source above the threshold of `ctx`; ties: lowest id. */
  private best(ctx: number): number {
    const s = this.state;
    let bestId = 0;
    let bestPrio = s.threshold[ctx]!;
    for (let w = 0; w < PLIC_SOURCE_WORDS; w++) {
      let ready = s.pending[w]! & ~s.inService[w]! & s.enable[ctx * PLIC_SOURCE_WORDS + w]!;
      while (ready !== 0) {
        const b = 31 - Math.clz32(ready & -ready);
        ready &= ready - 1;
        const id = (w << 5) | b;
        const prio = s.priority[id]!;
        if (prio > bestPrio) {
          bestPrio = prio;
          bestId = id;
        }
      }
    }
    return bestId;
  }

  private update(): void {
    for (let ctx = 0; ctx < this.contexts; ctx++) this.contextIrqs[ctx]!.set(this.best(ctx) !== 0);
  }
}
