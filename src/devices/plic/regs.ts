/**
 * SiFive PLIC register layout as on QEMU's `virt` board (SiFive U54 manual ch. 8 /
 * riscv-plic-spec). Offsets are from the PLIC base.
 */
export const PlicReg = {
  /** Source priority n at PRIORITY_BASE + 4·n (source 0 does not exist). */
  PRIORITY_BASE: 0x0,
  /** Pending bits, 32 sources per word. */
  PENDING_BASE: 0x1000,
  /** Per-context enable bits at ENABLE_BASE + ENABLE_STRIDE·ctx, 32 sources per word. */
  ENABLE_BASE: 0x2000,
  ENABLE_STRIDE: 0x80,
  /** Per-context threshold at CONTEXT_BASE + CONTEXT_STRIDE·ctx, claim/complete at +4. */
  CONTEXT_BASE: 0x200000,
  CONTEXT_STRIDE: 0x1000,
  CONTEXT_THRESHOLD: 0x0,
  CONTEXT_CLAIM: 0x4,
} as const;

/** Size of the PLIC's MMIO window on `virt`. */
export const PLIC_MMIO_SIZE = 0x600000;
/** Interrupt sources 1..95 (QEMU virt VIRT_IRQCHIP_NUM_SOURCES = 96 including source 0). */
export const PLIC_NUM_SOURCES = 96;
/** The device tree's `riscv,ndev`: the highest source number. */
export const PLIC_NDEV = PLIC_NUM_SOURCES - 1;
/** Priorities and thresholds are WARL 0..7 (3 bits, as QEMU virt's VIRT_IRQCHIP_NUM_PRIO_BITS). */
export const PLIC_PRIORITY_MASK = 0x7;
/** Words of 32 source bits covering all sources. */
export const PLIC_SOURCE_WORDS = Math.ceil(PLIC_NUM_SOURCES / 32);
/** Contexts per hart on `virt`: M-mode external interrupt then S-mode. */
export const PLIC_CONTEXTS_PER_HART = 2;
